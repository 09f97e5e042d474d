// The type-check step: TypeScript 7's native compiler, errors with file and line, and a cache key
// over every file tsc itself says it read (not a guess such as src/**).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { digestOf, STAMP, tscCommand, tscFindings, typecheck } from '../../src/verify/typecheck.js';
import { formatFinding } from '../../src/kernel/findings.js';

describe('type-check', () => {
  it('runs TypeScript 7 natively and reports an error with its file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-tsc-'));
    try {
      await writeFile(join(dir, 'a.ts'), 'export const ok = 1;\nexport const x: number = "a";\n');
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, files: ['a.ts'] }),
      );
      const tsc = tscCommand();
      const version = await promisify(execFile)(tsc.file, [...tsc.args, '--version']);
      assert.match(version.stdout, /Version 7\./);
      const out = await promisify(execFile)(tsc.file, [...tsc.args, '-p', dir, '--pretty', 'false'], {
        cwd: dir,
      }).catch((e: { stdout: string }) => e);
      const [f] = tscFindings(out.stdout);
      assert.deepEqual([f!.file, f!.line, f!.object], ['a.ts', 2, 'column 14']);
      assert.match(f!.message, /error TS2322: Type 'string' is not assignable to type 'number'/);
      assert.match(formatFinding(f!, 'text'), /^a\.ts:2: column 14:/);
      assert.match(formatFinding(f!, 'github'), /^::error file=a\.ts,line=2,/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keys its cache on every file tsc read, outside src/ too', async () => {
    assert.deepEqual(await typecheck(), []);
    const stamp = JSON.parse(await readFile(STAMP, 'utf8')) as { files: string[] };
    // Files outside src/ (node_modules' types) are read too; a src/** glob would miss them.
    for (const f of [
      'src/load-contract/thresholds.ts',
      'src/definitions.ts',
      'src/verify/mutation/operators.ts',
      'src/lint/rules/units.ts',
    ])
      assert.ok(stamp.files.includes(f), f);
    assert.ok(stamp.files.some((f) => f.includes('node_modules/@types/node/')));
  });

  it('a change to any listed file changes the digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-digest-'));
    try {
      await writeFile(join(dir, 'a.ts'), 'export const a = 1;\n');
      await writeFile(join(dir, 'b.ts'), 'export const b = 1;\n');
      const before = digestOf(['a.ts', 'b.ts'], dir);
      assert.equal(digestOf(['a.ts', 'b.ts'], dir), before);
      await writeFile(join(dir, 'b.ts'), 'export const b: string = 1;\n');
      assert.notEqual(digestOf(['a.ts', 'b.ts'], dir), before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
