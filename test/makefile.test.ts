// `make help` is how a newcomer finds the targets: every public target must be listed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './helpers.js';

/** Prerequisites other targets call; nobody runs them by hand (`deps` is the public way in). */
const INTERNAL = new Set(['node-deps']);

async function phonyTargets(): Promise<Map<string, string>> {
  const files = [
    'Makefile',
    ...(await readdir(join(ROOT, 'mk'))).filter((f) => f.endsWith('.mk')).map((f) => `mk/${f}`),
  ];
  const targets = new Map<string, string>();
  for (const file of files) {
    for (const m of (await readFile(join(ROOT, file), 'utf8')).matchAll(/^\.PHONY:(.*)$/gm)) {
      for (const t of m[1]!.trim().split(/\s+/)) targets.set(t, file);
    }
  }
  return targets;
}

describe('make help', () => {
  it('lists every .PHONY target of the Makefile and mk/*.mk, with a description', async () => {
    const { stdout } = await promisify(execFile)('make', ['--no-print-directory', 'help'], { cwd: ROOT });
    const listed = new Map([...stdout.matchAll(/^ {2}(\S+) +(\S.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const targets = await phonyTargets();
    assert.ok(targets.size > 20, `found only ${targets.size} .PHONY targets`);
    const missing = [...targets]
      .filter(([t]) => !INTERNAL.has(t) && !listed.has(t))
      .map(([t, file]) => `${t} (${file}: add "## description")`);
    assert.deepEqual(missing, []);
    for (const t of ['k6-bundle', 'typecheck']) assert.ok(listed.has(t), t);
  });
});

describe('make test', () => {
  it("runs every test file with the spec reporter (one line per test, then the runner's ℹ summary), not TAP", async () => {
    const { stdout } = await promisify(execFile)('make', ['--no-print-directory', '-n', 'test'], { cwd: ROOT });
    const line = stdout.split('\n').find((l) => l.startsWith('node ') && l.includes('--test'));
    assert.ok(line, stdout);
    assert.match(line, / --test-reporter=spec /);
    assert.match(line, /test\/makefile\.test\.ts/);
  });
});

/** The stressgate command line a target runs, as `make -n` prints it, with only `vars` set. */
async function commandOf(target: string, vars: Record<string, string> = {}, command = 'src/cli.ts'): Promise<string[]> {
  const env = { ...process.env };
  for (const v of ['PROMETHEUS_URL', 'TARGET_URL', 'K6_PROMETHEUS_RW_SERVER_URL', 'LIVE']) delete env[v];
  const args = ['--no-print-directory', '-n', target, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)];
  const { stdout } = await promisify(execFile)('make', args, { cwd: ROOT, env });
  const line = stdout.split('\n').find((l) => l.includes(command));
  assert.ok(line, stdout);
  return line.trim().split(/\s+/);
}

describe('a default meant for one target does not leak into another', () => {
  const PROM = 'http://127.0.0.1:9091';
  const APP = 'http://127.0.0.1:8081';
  it('live-verify gets --prometheus only when the user set PROMETHEUS_URL (it needs --target with it)', async () => {
    assert.ok(
      !(await commandOf('live-verify')).includes('--prometheus'),
      'live-verify starts its own stack by default',
    );
    const withTarget = await commandOf('live-verify', { TARGET_URL: APP });
    assert.ok(withTarget.includes('--target') && !withTarget.includes('--prometheus'), withTarget.join(' '));
    const both = await commandOf('live-verify', { TARGET_URL: APP, PROMETHEUS_URL: PROM });
    assert.deepEqual([both[both.indexOf('--prometheus') + 1], both[both.indexOf('--target') + 1]], [PROM, APP]);
  });
  it('observability-verify LIVE=1 runs live-verify the same way', async () => {
    const live = await commandOf('observability-verify', { LIVE: '1' }, 'src/cli.ts live-verify');
    assert.ok(!live.includes('--prometheus'), live.join(' '));
  });
  it('the load targets keep their local-stack default, and the report does not inherit it', async () => {
    const load = await commandOf('test-load');
    assert.equal(load[load.indexOf('--prometheus') + 1], 'http://127.0.0.1:19090');
    assert.ok(
      !(await commandOf('test-load', { TARGET_URL: APP })).includes('--prometheus'),
      'a remote target has no local Prometheus',
    );
    assert.ok(!(await commandOf('stress-report')).includes('--prometheus'));
  });
  it('every load target starts the local stack before a local run, and leaves a named target alone', async () => {
    const dry = async (target: string, vars: string[] = []) => {
      const env = { ...process.env };
      delete env.TARGET_URL;
      return (await promisify(execFile)('make', ['--no-print-directory', '-n', target, ...vars], { cwd: ROOT, env }))
        .stdout;
    };
    for (const target of ['test-load', 'test-stress-http', 'test-stress-ws', 'test-soak', 'load-smoke']) {
      const local = await dry(target);
      assert.ok(local.indexOf('stack-up') >= 0 && local.indexOf('stack-up') < local.indexOf('src/cli.ts load'), local);
      assert.doesNotMatch(await dry(target, [`TARGET_URL=${APP}`]), /stack-up/, target);
    }
  });
});
