// Catalog conformance: the real reference app conforms; a service whose exposition diverges (a renamed
// metric, a wrong type, a missing label, different buckets) has each mismatch reported, and exit codes
// say so. The divergent service is a real node:http server on loopback serving a mutated copy of the
// reference app's real exposition.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ANY_VALUE, checkExposition, proposeEntries, runCatalogCheck, type Io } from '../../src/catalog-check/index.js';
import { startApp, startDeps, type Deps, type TestApp } from '../reference-app/harness.js';

async function capture(fn: (io: Io) => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (out += t) };
  return { code: await fn(io), out };
}

function diverge(exposition: string): string {
  return exposition
    .replaceAll('chat_messages_sent_total', 'chat_messages_total') // renamed in the backend
    .replace('# TYPE ws_messages_total counter', '# TYPE ws_messages_total gauge') // wrong type
    .replace(/^ws_backpressure_drops_total\{channel="[a-z]+"\}/gm, 'ws_backpressure_drops_total') // label dropped
    .replace(/^(http_request_duration_seconds_bucket\{[^}]*)le="0\.3"/gm, '$1le="0.25"') // a bucket moved
    .concat(
      '# HELP feed_cache_hits_total Feed cache hits.\n# TYPE feed_cache_hits_total counter\nfeed_cache_hits_total{tier="l1"} 3\nfeed_cache_hits_total{tier="l2"} 1\n',
    );
}

describe('catalog-check', () => {
  let deps: Deps;
  let app: TestApp;
  let server: Server;
  let divergentUrl: string;

  before(async () => {
    deps = await startDeps();
    app = await startApp(deps);
    const real = await app.api.metrics();
    server = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(diverge(real));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    divergentUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  after(async () => {
    await new Promise((r) => server?.close(r));
    await app?.stop();
    await deps?.dispose();
  });

  it('the reference app conforms (exit 0); runtime defaults the catalog does not list are ignored, not extra', async () => {
    const { code, out } = await capture((io) => runCatalogCheck(['--metrics-url', `${app.base}/metrics`], io));
    assert.equal(code, 0, out);
    assert.match(out, /conforms: 23\/23 catalog metrics conform; \d+ runtime default families ignored/);
  });

  it('reports each divergence by metric and kind (exit 1)', async () => {
    const { code, out } = await capture((io) => runCatalogCheck(['--metrics-url', divergentUrl], io));
    assert.equal(code, 1, out);
    const result = checkExposition(diverge(await app.api.metrics()), 'divergent');
    assert.deepEqual(result.mismatches.map((m) => `${m.kind} ${m.metric}`).sort(), [
      'buckets http_request_duration_seconds',
      'extra chat_messages_total',
      'extra feed_cache_hits_total',
      'labels ws_backpressure_drops_total',
      'missing chat_messages_sent_total',
      'type ws_messages_total',
    ]);
    const byKind = Object.fromEntries(result.mismatches.map((m) => [`${m.kind} ${m.metric}`, m.message]));
    assert.match(byKind['extra chat_messages_total']!, /possibly a rename of chat_messages_sent_total/);
    assert.match(byKind['type ws_messages_total']!, /catalog says counter, the service exposes gauge/);
    assert.match(byKind['labels ws_backpressure_drops_total']!, /missing channel/);
    assert.match(byKind['buckets http_request_duration_seconds']!, /catalog \[.*0\.3.*\], service \[.*0\.25.*\]/);
    for (const line of ['missing', 'extra', 'type', 'labels', 'buckets'])
      assert.match(out, new RegExp(`\\[catalog-${line}\\]`));
  });

  it('--write proposes catalog entries for the new metrics', async () => {
    const { code, out } = await capture((io) => runCatalogCheck(['--metrics-url', divergentUrl, '--write'], io));
    assert.equal(code, 1);
    assert.match(
      out,
      /export const feedCacheHits = counter<'tier'>\(\{\n  name: 'feed_cache_hits_total',\n  help: "Feed cache hits.",/,
    );
    assert.match(out, /tier: \{ values: \["l1","l2"\]/);
    const result = checkExposition(diverge(await app.api.metrics()), 'x');
    assert.match(
      proposeEntries(result.extra),
      /name: 'chat_messages_total'[\s\S]*labels: \{\n    conversation_type: \{ values: \["dm","group"\]/,
    );
  });

  it('--snapshot records the scrape as the snapshot verify checks offline: the reference app conforms, a divergent service does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-snapshot-'));
    try {
      const file = join(dir, 'api.prom');
      const { code, out } = await capture((io) =>
        runCatalogCheck(['--metrics-url', `${app.base}/metrics`, '--snapshot', file], io),
      );
      assert.equal(code, 0, out);
      assert.match(out, /wrote .*api\.prom/);
      assert.deepEqual(checkExposition(await readFile(file, 'utf8'), file, { anyValue: ANY_VALUE }).mismatches, []);
      // Recorded even when it disagrees with the catalog: the snapshot is the service's truth.
      assert.equal(
        (await capture((io) => runCatalogCheck(['--metrics-url', divergentUrl, '--snapshot', file], io))).code,
        1,
      );
      const kinds = checkExposition(await readFile(file, 'utf8'), file, { anyValue: ANY_VALUE }).mismatches.map(
        (m) => `${m.kind} ${m.metric}`,
      );
      for (const k of [
        'missing chat_messages_sent_total',
        'extra chat_messages_total',
        'type ws_messages_total',
        'buckets http_request_duration_seconds',
      ])
        assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 when the endpoint is unreachable or the URL is missing', async () => {
    const closed = (await capture((io) => runCatalogCheck(['--metrics-url', 'http://127.0.0.1:9/metrics'], io))).code;
    assert.equal(closed, 2);
    const none = await capture((io) => runCatalogCheck([], io));
    assert.equal(none.code, 2);
    assert.match(none.out, /--metrics-url/);
  });
});
