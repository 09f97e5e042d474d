// The browser journeys for real: PostgreSQL, Redis and the reference app with its web client, the
// @smoke suite through the Playwright runner and Debian's Chromium, via `stressgate e2e`. And the
// self-test: a client built without its notification push handler must fail the notification
// journey with a clear message and a trace.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { budgetMs } from '../../src/e2e/budgets.js';
import { journeysFileSchema, type JourneysSection } from '../../src/e2e/journeys.js';
import type { Verdict } from '../../src/gate/verdict/index.js';
import { buildWebClient, CLIENT_ROUTES } from '../../reference-app/src/web.js';
import { ROOT, runCli } from '../helpers.js';
import { startApp, startDeps, type Deps, type TestApp } from '../reference-app/harness.js';

describe('browser journeys against the reference app', () => {
  let deps: Deps;
  let app: TestApp;
  let broken: TestApp;
  let out: string;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'stressgate-e2e-'));
    deps = await startDeps();
    app = await startApp(deps);
    broken = await startApp(deps, {}, { webFlags: { notificationPush: false } });
  });
  after(async () => {
    await broken?.stop();
    await app?.stop();
    await deps?.dispose();
    await rm(out, { recursive: true, force: true });
  });

  it('the app serves the client on every route, with a deterministic bundle', async () => {
    for (const route of CLIENT_ROUTES) {
      const r = await fetch(app.base + route.replace(':id', '7'));
      assert.equal(r.status, 200, route);
      assert.match(await r.text(), /<script src="\/assets\/app\.js">/, route);
    }
    const bundle = await fetch(`${app.base}/assets/app.js`);
    const etag = bundle.headers.get('etag')!;
    assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(`${app.base}/assets/app.js`, { headers: { 'if-none-match': etag } })).status, 304);
    const [a, b, flagged] = [
      await buildWebClient(),
      await buildWebClient(),
      await buildWebClient({ notificationPush: false }),
    ];
    assert.equal(a.js, b.js, 'same sources and flags, same bytes');
    assert.equal(etag, `"${a.digest.slice(0, 32)}"`);
    assert.notEqual(flagged.digest, a.digest);
  });

  it('the @smoke journeys pass with two users each and write journeys.json and the report', async () => {
    const dir = join(out, 'smoke');
    const r = await runCli(['e2e', '--base-url', app.base, '--tags', '@smoke', '--out', dir]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const doc = journeysFileSchema.parse(JSON.parse(await readFile(join(dir, 'journeys.json'), 'utf8')));
    assert.deepEqual(doc.journeys.map((j) => j.id).sort(), ['game', 'messaging', 'notification']);
    for (const j of doc.journeys) {
      assert.ok(j.pass && j.status === 'passed', `${j.id}: ${j.error}`);
      assert.deepEqual(j.tags, ['@smoke']);
      assert.equal(
        j.steps.find((s) => s.name === 'login until realtime connected')?.samples.length,
        2,
        `${j.id}: two users signed in`,
      );
      const budgeted = j.steps.filter((s) => s.slo);
      assert.ok(budgeted.length > 0, j.id);
      for (const s of budgeted) {
        assert.equal(s.budgetMs, budgetMs(s.slo!), `${j.id} / ${s.name}`);
        assert.ok(s.samples.length > 0 && s.ms !== null && s.ms < s.budgetMs!, `${j.id} / ${s.name}: ${s.ms} ms`);
      }
    }
    assert.deepEqual(
      doc.journeys
        .find((j) => j.id === 'notification')!
        .steps.find((s) => s.name === 'notification badge updated after comment')?.slo,
      'notification-delivery-p95',
    );
    assert.deepEqual(
      doc.journeys
        .find((j) => j.id === 'messaging')!
        .steps.find((s) => s.name === 'DM unread count updated in the list')?.slo,
      'chat-delivery-p95',
    );
    assert.ok(existsSync(join(dir, 'report/index.html')), 'HTML report');
    assert.match(r.stdout, /## Browser journeys: PASS/);
  });

  it('a client that drops the notification push handler fails the notification journey, with a clear message and a trace', async () => {
    const dir = join(out, 'broken');
    const r = await runCli([
      'e2e',
      '--base-url',
      broken.base,
      '--tags',
      '@smoke',
      '--journeys',
      'notification',
      '--out',
      dir,
    ]);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const doc = journeysFileSchema.parse(JSON.parse(await readFile(join(dir, 'journeys.json'), 'utf8')));
    assert.equal(doc.journeys.length, 1);
    const [j] = doc.journeys;
    assert.equal(j!.pass, false);
    assert.equal(j!.status, 'failed');
    assert.match(
      j!.error!,
      /notification badge shows 1 after \S+'s comment: not seen within \d+ ms of the action, without a reload \(1 element\(s\) match \[data-testid="notification-badge"\]: "0"\)/,
    );
    assert.match(j!.error!, /notification list shows comment notification 1: not seen/);
    assert.ok(j!.traces.length > 0, 'a trace is kept');
    for (const t of j!.traces) assert.ok((await stat(join(dir, t))).size > 0, t);
    assert.match(r.stdout, /## Browser journeys: FAIL/);
    assert.match(r.stdout, /- notification @smoke: failed: Error: \S+'s notification badge shows 1/);
  });

  it('under load, a failing journey fails the gate verdict, which carries the journeys and their timings', async () => {
    const dir = join(out, 'under-load');
    // A light profile (notification fan-out only) keeps the machine usable; the journeys need its hold.
    const smoke = JSON.parse(await readFile(join(ROOT, 'load/profiles/smoke.json'), 'utf8'));
    const profile = join(out, 'light.json');
    await writeFile(
      profile,
      JSON.stringify({
        ...smoke,
        $schema: undefined,
        name: 'light',
        scenarios: {
          notifications: {
            stages: [
              { duration: '2s', target: 2 },
              { duration: '10s', target: 2, hold: true },
              { duration: '1s', target: 0 },
            ],
          },
        },
      }),
    );
    const r = await runCli([
      'e2e-under-load',
      '--profile',
      profile,
      '--runner',
      'node',
      '--target',
      broken.base,
      '--journeys',
      'notification',
      '--duration',
      '60s',
      '--out',
      dir,
    ]);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const verdict = JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8')) as Verdict;
    assert.equal(verdict.verdict, 'FAIL');
    assert.equal(verdict.profile, 'light');
    assert.ok(verdict.slos.length > 0, 'the load part is judged too');
    const journeys = verdict.sections.journeys!.details as JourneysSection;
    assert.equal(journeys.pass, false);
    assert.equal(journeys.underLoad?.profile, 'light');
    assert.ok(
      journeys.underLoad!.journeysStart >= journeys.underLoad!.loadStart &&
        journeys.underLoad!.journeysEnd <= journeys.underLoad!.loadEnd,
      JSON.stringify(journeys.underLoad),
    );
    assert.match(journeys.failures.join('\n'), /notification @smoke: failed: Error: \S+'s notification badge shows 1/);
    const login = journeys.journeys[0]!.steps.find((s) => s.name === 'login until realtime connected');
    assert.equal(login?.samples.length, 2);
    const md = await readFile(join(dir, 'verdict.md'), 'utf8');
    assert.match(md, /# Release gate verdict: FAIL/);
    assert.match(md, /## Browser journeys \(`journeys`\): FAIL/);
    assert.match(
      md,
      /\| notification @smoke \| login until realtime connected \| \d+ ms \(p95 of 2\) \| informational \| PASS \|/,
    );
    assert.ok(existsSync(join(dir, 'playwright/journeys.json')));
  });

  it('refuses a BASE_URL the interlock does not allow, before anything runs', async () => {
    const dir = join(out, 'refused');
    const r = await runCli(['e2e', '--base-url', 'https://staging.example.com', '--out', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to send load to staging\.example\.com.*STRESS_ALLOWED_HOSTS/s);
    assert.equal(existsSync(join(dir, 'journeys.json')), false);
  });
});
