// The installed command: package.json's "bin" must point at a file that runs the CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './helpers.js';

async function run(file: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the stressgate command', () => {
  it('`npx --no-install stressgate help` works in the repository', async () => {
    const { code, stdout, stderr } = await run('npx', ['--no-install', 'stressgate', 'help'], ROOT);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^stressgate <command> \[options\]/);
  });

  it('runs from any directory and passes the exit code through', async () => {
    const bin = join(ROOT, 'bin/stressgate.js');
    const ok = await run(bin, ['help'], tmpdir());
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Commands:/);
    const bad = await run(bin, ['no-such-command'], tmpdir());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "no-such-command"/);
  });
});
