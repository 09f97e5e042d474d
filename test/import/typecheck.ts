// Type-checks generated modules as the project would: the project's tsconfig, the native tsc.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tscCommand } from '../../src/verify/typecheck.js';
import { ROOT } from '../helpers.js';

/** tsc's output for `files` (absolute, in `dir`); empty when they type-check. */
export async function typecheckFiles(dir: string, files: readonly string[]): Promise<string> {
  const config = join(dir, 'tsconfig.json');
  await writeFile(
    config,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')] },
      include: [],
      files,
    }),
  );
  const tsc = tscCommand(ROOT);
  return new Promise((done) =>
    execFile(tsc.file, [...tsc.args, '-p', config], { cwd: dir }, (_err, stdout, stderr) => done(stdout + stderr)),
  );
}
