// Writes an importer's output whole or not at all: a temporary sibling, then a rename.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';

export async function writeAtomically(file: string, content: string): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, target);
}

/** An import specifier from the module at `from` to the file `to` (`./types.js`, `../../src/x.js`). */
export function specifier(from: string, to: string): string {
  const rel = relative(dirname(resolve(from)), to)
    .split('\\')
    .join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
