// Generated TypeScript formatted as the project's own files are (prettier with .prettierrc), so an
// imported module reads like a hand-written one and passes the layout test's prettier check as is.
import { join } from 'node:path';

const PACKAGE_ROOT = join(import.meta.dirname, '../..');

/** `source` formatted by prettier; unchanged when prettier is not installed (it is a dev dependency). */
export async function formatTypeScript(source: string): Promise<string> {
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    return source;
  }
  const config = (await prettier.resolveConfig(join(PACKAGE_ROOT, 'src/cli.ts'))) ?? {};
  return prettier.format(source, { ...config, parser: 'typescript' });
}
