// `stressgate import <kind>`: bring what exists elsewhere into the definitions as typed source.
// Each importer takes its own options and returns the exit code.
import { importCatalogCommand } from './catalog.js';
import { importSlosCommand } from './slos.js';

export const IMPORTERS: Readonly<Record<string, (argv: string[]) => Promise<number>>> = {
  catalog: (argv) => importCatalogCommand(argv),
  slos: (argv) => importSlosCommand(argv),
};

export const IMPORT_USAGE = `import <${Object.keys(IMPORTERS).join('|')}> [options] (--help for each)`;

export async function runImport(argv: string[]): Promise<number> {
  const importer = IMPORTERS[argv[0] ?? ''];
  if (!importer) {
    process.stderr.write(`import: unknown or missing kind "${argv[0] ?? ''}"\n${IMPORT_USAGE}\n`);
    return 2;
  }
  return importer(argv.slice(1));
}
