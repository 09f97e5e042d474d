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
  const files = ['Makefile', ...(await readdir(join(ROOT, 'mk'))).filter((f) => f.endsWith('.mk')).map((f) => `mk/${f}`)];
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
    const missing = [...targets].filter(([t]) => !INTERNAL.has(t) && !listed.has(t)).map(([t, file]) => `${t} (${file}: add "## description")`);
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
