// `stressgate import catalog`: proposals from real expositions (the reference app's committed
// snapshot, prom-client's own output) type-check, and conformance accepts them once they are in the
// catalog; contradictions and what cannot be typed are listed; bad sources fail in one line.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import client from 'prom-client';
import * as prettier from 'prettier';
import { catalog, metrics, type Metric } from '../../src/catalog/index.js';
import { importCatalog } from '../../src/catalog-check/catalog-import.js';
import { ANY_VALUE, checkExposition } from '../../src/catalog-check/index.js';
import { importCatalogCommand } from '../../src/import/catalog.js';
import { formatTypeScript } from '../../src/import/format.js';
import { specifier, writeAtomically } from '../../src/import/write.js';
import { ROOT, runCli } from '../helpers.js';
import { typecheckFiles } from './typecheck.js';

const SNAPSHOT = 'catalog/snapshots/api.prom';
const TYPES = join(ROOT, 'src/catalog/types.js');

/** The proposals written as a module in `dir`, type-checked, then loaded: the metrics they define. */
async function materialise(dir: string, name: string, text: string, source: string, opts = {}) {
  const file = join(dir, `${name}.ts`);
  const result = importCatalog(text, source, { ...opts, typesImport: specifier(file, TYPES) });
  await writeAtomically(file, await formatTypeScript(result.module));
  assert.equal(await typecheckFiles(dir, [file]), '', 'the proposed module type-checks');
  const mod = (await import(file)) as Record<string, Metric>;
  return { result, proposed: Object.values(mod), file };
}

/** A real prom-client registry: its default collectors and an app's counter and histogram. */
async function promClientExposition(): Promise<string> {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const orders = new client.Counter({
    name: 'shop_orders_total',
    help: 'Orders placed, by payment outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const checkout = new client.Histogram({
    name: 'shop_checkout_duration_seconds',
    help: 'Checkout latency, by step.',
    labelNames: ['step'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  orders.inc({ outcome: 'paid' });
  orders.inc({ outcome: 'declined' });
  checkout.observe({ step: 'pay' }, 0.2);
  checkout.observe({ step: 'confirm' }, 0.07);
  return registry.metrics();
}

describe('import catalog', () => {
  let dir: string;
  before(async () => void (dir = await mkdtemp(join(tmpdir(), 'stressgate-import-catalog-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('proposes the catalog entries a catalog without them lacks, as the catalog had them, and conformance accepts them', async () => {
    const text = await readFile(join(ROOT, SNAPSHOT), 'utf8');
    const removed: Metric[] = [
      metrics.chatDeliveryDuration,
      metrics.wsDisconnects,
      metrics.gameRoomsActive,
      metrics.dependencyUp,
    ];
    const reduced = catalog.filter((m) => !removed.includes(m));
    assert.ok(checkExposition(text, SNAPSHOT, { metrics: reduced }).mismatches.some((m) => m.kind === 'extra'));
    const { result, proposed } = await materialise(dir, 'snapshot', text, SNAPSHOT, { metrics: reduced });
    assert.deepEqual(result.entries.map((e) => e.name).sort(), removed.map((m) => m.name).sort());
    assert.deepEqual(result.differing, []);
    for (const original of removed) {
      const p = proposed.find((m) => m.name === original.name)!;
      assert.equal(p.type, original.type, original.name);
      assert.equal(p.spec.unit, original.spec.unit, original.name);
      assert.deepEqual(p.labelNames, original.labelNames, original.name);
      assert.equal(p.spec.help, original.spec.help, original.name);
      if (original.type === 'histogram' && p.type === 'histogram')
        assert.deepEqual(p.spec.buckets, original.spec.buckets);
    }
    assert.deepEqual(
      checkExposition(text, SNAPSHOT, { metrics: [...reduced, ...proposed], anyValue: ANY_VALUE }).mismatches,
      [],
    );
  });

  it("proposes prom-client's real output, runtime families only with --runtime, and conformance accepts all of it", async () => {
    const text = await promClientExposition();
    const appOnly = importCatalog(text, 'prom-client', { metrics: [] });
    assert.deepEqual(appOnly.entries.map((e) => e.name).sort(), [
      'shop_checkout_duration_seconds',
      'shop_orders_total',
    ]);
    assert.ok(appOnly.runtimeLeftOut.includes('nodejs_heap_size_used_bytes'), appOnly.runtimeLeftOut.join(', '));
    const { result, proposed } = await materialise(dir, 'promclient', text, 'prom-client', {
      metrics: [],
      runtime: true,
    });
    assert.ok(result.entries.length > 20, `${result.entries.length} entries`);
    const byName = new Map(proposed.map((m) => [m.name, m]));
    const checkoutMetric = byName.get('shop_checkout_duration_seconds')!;
    assert.equal(checkoutMetric.type, 'histogram');
    assert.deepEqual(checkoutMetric.type === 'histogram' && checkoutMetric.spec.buckets, [0.05, 0.1, 0.25, 0.5, 1]);
    assert.equal(checkoutMetric.spec.unit, 'seconds');
    assert.equal(byName.get('shop_orders_total')!.type, 'counter');
    assert.deepEqual(byName.get('shop_orders_total')!.spec.labels.outcome!.values, ['declined', 'paid']);
    assert.equal(byName.get('nodejs_heap_size_used_bytes')!.spec.unit, 'bytes');
    assert.equal(byName.get('nodejs_heap_size_used_bytes')!.spec.origin, 'runtime');
    // prom-client has a gauge nodejs_active_handles and a gauge nodejs_active_handles_total: two bindings.
    assert.equal(new Set(result.entries.map((e) => e.binding)).size, result.entries.length);
    const check = checkExposition(text, 'prom-client', { metrics: proposed, strict: true });
    assert.deepEqual(check.mismatches, []);
    assert.equal(check.conforming.length, proposed.length);
  });

  it('lists the catalog metrics the exposition contradicts, and what no entry can describe', async () => {
    const text = (await readFile(join(ROOT, SNAPSHOT), 'utf8'))
      .replace(/^(http_request_duration_seconds_bucket\{[^}]*)le="0\.3"/gm, '$1le="0.25"')
      .replace('# TYPE ws_messages_total counter', '# TYPE ws_messages_total gauge')
      .concat(
        '# HELP rpc_latency_seconds RPC latency.\n# TYPE rpc_latency_seconds summary\nrpc_latency_seconds{quantile="0.5"} 0.1\nrpc_latency_seconds_sum 1\nrpc_latency_seconds_count 9\n',
        '# HELP queue_temperature_celsius Queue temperature.\n# TYPE queue_temperature_celsius gauge\nqueue_temperature_celsius 21\n',
        '# HELP cache_ops Ops.\n# TYPE cache_ops counter\ncache_ops_total 4\n',
      );
    const result = importCatalog(text, SNAPSHOT);
    assert.deepEqual(result.differing.map((m) => `${m.kind} ${m.metric}`).sort(), [
      'buckets http_request_duration_seconds',
      'type ws_messages_total',
    ]);
    assert.match(result.skipped.join('\n'), /rpc_latency_seconds: a summary/);
    assert.deepEqual(
      result.entries.map((e) => e.name),
      ['queue_temperature_celsius', 'cache_ops_total'],
    );
    assert.match(result.entries[0]!.notes.join('\n'), /celsius, which the catalog has no unit for/);
    // A help the catalog would refuse at definition time is lengthened, with a note.
    assert.match(result.entries[1]!.code, /help: "Ops\. TODO: say what it measures\.",/);
    assert.match(result.entries[1]!.notes.join('\n'), /help: "Ops\." is too short for the catalog/);
    assert.match(
      result.module,
      /Catalog metrics the exposition contradicts:\n\/\/ {3}http_request_duration_seconds: buckets differ/,
    );
  });

  it('writes a prettier-formatted module with --out, reading a URL on loopback, and says what it did', async () => {
    const body = await promClientExposition();
    const server: Server = createServer((req, res) =>
      req.url === '/metrics'
        ? void res.writeHead(200, { 'content-type': 'text/plain' }).end(body)
        : req.url === '/moved'
          ? void res.writeHead(302, { location: '/metrics' }).end()
          : void res.writeHead(404).end(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = join(dir, 'cli', 'proposed.ts');
      let printed = '';
      let errors = '';
      const io = { out: (t: string) => void (printed += t), err: (t: string) => void (errors += t) };
      assert.equal(await importCatalogCommand(['--metrics-url', `${base}/moved`, '--out', out], io), 0);
      assert.match(
        printed,
        /import catalog: 2 entries proposed, 0 catalog metric\(s\) differ, \d+ runtime families left out \(--runtime\); wrote /,
      );
      assert.match(errors, /not inferred: shop_orders_total: labels outcome/);
      const written = await readFile(out, 'utf8');
      assert.ok(
        await prettier.check(written, {
          ...(await prettier.resolveConfig(join(ROOT, 'src/cli.ts'))),
          parser: 'typescript',
        }),
      );
      assert.match(written, /export const shopOrders = counter<'outcome'>\(\{\n {2}name: 'shop_orders_total',/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses a host the interlock refuses, also behind a redirect, and fails in one line on what it cannot read', async () => {
    const server: Server = createServer(
      (_req, res) => void res.writeHead(302, { location: 'http://203.0.113.9/metrics' }).end(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const cases: Array<[string, RegExp]> = [
        [
          'http://203.0.113.9/metrics',
          /^stressgate import: import catalog: refusing to read http:\/\/203\.0\.113\.9\/metrics: 203\.0\.113\.9 is not loopback; add it to STRESS_ALLOWED_HOSTS/,
        ],
        [
          `http://127.0.0.1:${port}/metrics`,
          /^stressgate import: import catalog: refusing to read http:\/\/203\.0\.113\.9\/metrics/,
        ],
        [join(dir, 'absent.prom'), /^stressgate import: import catalog: cannot read .*absent\.prom: ENOENT$/],
      ];
      for (const [source, message] of cases) {
        const { code, stderr } = await runCli(['import', 'catalog', '--metrics-url', source], {
          STRESS_ALLOWED_HOSTS: '',
        });
        assert.equal(code, 2, stderr);
        assert.match(stderr.trim(), message);
        assert.equal(stderr.trim().split('\n').length, 1, stderr);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    // Nothing listens on a port just closed: unreachable, in one line.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { code, stderr } = await runCli(['import', 'catalog', '--metrics-url', `http://127.0.0.1:${port}/metrics`]);
    assert.equal(code, 2);
    assert.match(
      stderr.trim(),
      /^stressgate import: import catalog: cannot reach http:\/\/127\.0\.0\.1:\d+\/metrics: connect ECONNREFUSED/,
    );
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  });
});
