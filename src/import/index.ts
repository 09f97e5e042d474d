// `stressgate import <kind> FILE`: existing Grafana dashboards, Prometheus rule files, expositions and
// OpenSLO files to construct source. A file importer turns a file's text into TypeScript; this module
// reads the file, formats the source with prettier, and prints it or writes it atomically (never over
// a file without --force), with the list of what could not be typed on stderr (it also heads the
// generated source). The catalog and SLO importers take options of their own: they are whole commands.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCommand, stdio, usageError, type CommandSpec, type Io } from '../command.js';
import { UsageError } from '../usage-error.js';
import { importCatalogCommand } from './catalog.js';
import { importDashboard, type ImportResult } from './dashboard.js';
import { importSlosCommand } from './slos.js';
import { importRules } from './rules.js';
import { defaultOutDir, importPath, prettierTs } from './ts-source.js';
import { plural } from '../kernel/words.js';

export interface Importer {
  /** One line for the usage text. */
  readonly summary: string;
  /** The src/ folder the generated module belongs in, for its import paths when it is printed. */
  readonly folder: string;
  readonly run: (text: string, file: string, imports: (module: string) => string) => ImportResult;
}

/** The import subcommands; each is one entry. */
export const IMPORTERS: Record<string, Importer> = {
  dashboard: { summary: 'a Grafana dashboard JSON file', folder: 'dashboards', run: importDashboard },
  rules: { summary: 'a Prometheus rule file (or a PrometheusRule manifest)', folder: 'alerts', run: importRules },
};

/** Importers with options of their own (an exposition URL, OpenSLO's documents); each is one entry. */
export const IMPORT_COMMANDS: Record<
  string,
  { readonly summary: string; readonly run: (argv: string[]) => Promise<number> }
> = {
  catalog: {
    summary: 'catalog entries from a /metrics exposition (--metrics-url URL|FILE.prom [--runtime])',
    run: importCatalogCommand,
  },
  slos: { summary: 'Slo constructs from OpenSLO v1 (or v1alpha) YAML: import slos FILE.yaml', run: importSlosCommand },
};

export const IMPORT_COMMAND = {
  name: 'import',
  usage: '<kind> FILE [--out FILE.ts] [--force]',
  description: `Writes construct source (TypeScript) that synth turns back into FILE (docs/import.md): series the catalog knows become typed references, the rest stays raw PromQL, listed on stderr and atop the source. Kinds:

${[...Object.entries(IMPORTERS), ...Object.entries(IMPORT_COMMANDS)]
  .map(([k, i]) => `  ${k.padEnd(10)} ${i.summary}`)
  .join('\n')}`,
  options: {
    out: {
      type: 'string',
      value: 'FILE.ts',
      description:
        'write the module there (atomically; refuses an existing file without --force); without it the source goes to stdout, its imports as from src/<folder>/',
    },
    force: { type: 'boolean', description: 'overwrite --out' },
    'metrics-url': {
      type: 'string',
      value: 'URL|FILE.prom',
      description: 'import catalog: the exposition (a URL must be loopback or in STRESS_ALLOWED_HOSTS)',
    },
    runtime: {
      type: 'boolean',
      description: "import catalog: also the client libraries' runtime families (process_*, nodejs_*, ...)",
    },
  },
  positionals: true,
  exit: '0 imported, 2 usage or a file that cannot be read or imported.',
} as const satisfies CommandSpec;

export interface ImportOutcome extends ImportResult {
  /** Formatted source. */
  readonly formatted: string;
}

/** Reads, imports and formats one file; `outFile` decides the generated module's import paths. */
export async function importFile(kind: string, file: string, outFile?: string): Promise<ImportOutcome> {
  const importer = IMPORTERS[kind];
  if (!importer) throw new UsageError(`unknown import kind "${kind}": use one of ${Object.keys(IMPORTERS).join(', ')}`);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`${file}: cannot read it (${err.code ?? err.message})`);
  });
  const outDir = outFile ? dirname(resolve(outFile)) : defaultOutDir(importer.folder);
  const result = importer.run(text, file, (module) => importPath(outDir, module));
  return { ...result, formatted: await prettierTs(result.source, outFile ?? `${outDir}/imported.ts`) };
}

/** Via a temporary sibling and a rename: a reader never sees half a module. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function runImport(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(IMPORT_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const [kind, ...files] = parsed.positionals;
  const kinds = [...Object.keys(IMPORTERS), ...Object.keys(IMPORT_COMMANDS)];
  if (!kind) throw usageError('import', `give a kind: ${kinds.join(', ')}`);
  // The catalog and SLO importers parse their own options (their specs), from the arguments after the kind.
  const command = IMPORT_COMMANDS[kind];
  if (command) return command.run(argv.slice(argv.indexOf(kind) + 1));
  if (!IMPORTERS[kind]) throw new UsageError(`unknown import kind "${kind}": use one of ${kinds.join(', ')}`);
  if (files.length !== 1) throw usageError('import', `give one FILE to import as ${kind}`);
  const out = parsed.values.out;
  if (out && !/\.m?ts$/.test(out))
    throw new UsageError(
      `--out ${out}: the generated module is TypeScript; name it *.ts (or *.mts outside an ES-module package)`,
    );
  if (out && existsSync(out) && !parsed.values.force)
    throw new UsageError(`--out ${out}: the file exists; give --force to overwrite it`);
  const result = await importFile(kind, files[0]!, out);
  if (out) await writeAtomically(out, result.formatted);
  else io.out(result.formatted);
  const what = `${plural(result.typed, 'selector')} typed`;
  io.err(
    `import ${kind}: ${files[0]} -> ${out ?? 'stdout'} (${result.name}): ${what}, ${result.untyped.length} untyped\n`,
  );
  for (const u of result.untyped) io.err(`  untyped: ${u}\n`);
  return 0;
}
