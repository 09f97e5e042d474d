// Writing TypeScript an SRE reads and keeps: string and template literals, JSON values as object
// literals, import paths from where the file will live, and prettier's formatting with the
// project's settings (the file is committed beside the hand-written definitions).
import { dirname, join, relative, sep } from 'node:path';
import { format, resolveConfig } from 'prettier';

/** The package's src/, which generated modules import the constructs from. */
export const SRC_DIR = join(import.meta.dirname, '..');

/** A string literal (prettier picks the quotes). */
export const tsString = (s: string): string => JSON.stringify(s);

/** Text inside a template literal, cooked back to itself: `\`, a backtick and `${` escaped. */
export const templateText = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

/** A multi-line text reads best as a template literal; one line as a string. */
export const textLiteral = (s: string): string => (s.includes('\n') ? `\`${templateText(s)}\`` : tsString(s));

/** A JSON value as a TypeScript literal. */
export const tsValue = (v: unknown): string => JSON.stringify(v, null, 2) ?? 'undefined';

/** `../constructs/dashboard.js` from the directory the generated file is written to. */
export function importPath(outDir: string, module: string): string {
  const rel = relative(outDir, join(SRC_DIR, module)).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Where generated source lives when it is printed rather than written: beside the definitions in src/<folder>/. */
export const defaultOutDir = (folder: string): string => join(SRC_DIR, folder);

/** A comment block: the header, then the list of what could not be typed. */
export function headerComment(lines: readonly string[]): string {
  return lines.map((l) => (l ? `// ${l}` : '//')).join('\n');
}

/** The project's prettier settings applied to generated source. */
export async function prettierTs(source: string, outFile: string): Promise<string> {
  const config = (await resolveConfig(join(SRC_DIR, '..', 'package.json'))) ?? {};
  return format(source, { ...config, parser: 'typescript', filepath: outFile });
}

/** A construct id or variable name from a title: `CPU Usage (%)` -> `cpu-usage`. */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/** Ids made unique in order of appearance: `cpu`, `cpu-2`, ... */
export function uniqueIds(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}

export { dirname };
