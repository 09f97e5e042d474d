// `stressgate import catalog --metrics-url URL|FILE.prom [--out FILE.ts] [--runtime]`: proposed
// catalog entries, in the style of src/catalog/metrics.ts, for what a real exposition has and the
// catalog lacks; what could not be inferred and the catalog metrics it contradicts go to stderr (and
// into the module as comments).
import { join } from 'node:path';
import { importCatalog } from '../catalog-check/catalog-import.js';
import { parseCommand, stdio, type CommandSpec, type Io } from '../command.js';
import { formatTypeScript } from './format.js';
import { readSource } from './source.js';
import { specifier, writeAtomically } from './write.js';

const IMPORT_CATALOG_COMMAND = {
  name: 'import catalog',
  usage: '--metrics-url URL|FILE.prom [--out FILE.ts] [--runtime]',
  description:
    'Proposes catalog entries (src/catalog/metrics.ts style) for the metric families a real /metrics exposition has and the catalog lacks, and lists the catalog metrics whose type, labels or buckets differ from it. Writes the module to --out (atomically) or stdout.',
  options: {
    'metrics-url': {
      type: 'string',
      value: 'URL|FILE.prom',
      description: 'the exposition: a URL (loopback or in STRESS_ALLOWED_HOSTS) or a file',
    },
    out: { type: 'string', value: 'FILE.ts', description: 'write the module there (atomically)' },
    runtime: {
      type: 'boolean',
      description:
        "also propose the client libraries' runtime families (process_*, nodejs_*, go_*, ...), which conformance otherwise ignores",
    },
  },
  exit: '0 written, 2 usage or an unreadable source.',
} as const satisfies CommandSpec;

const TYPES = join(import.meta.dirname, '../catalog/types.js');

export async function importCatalogCommand(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(IMPORT_CATALOG_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const source = values['metrics-url'];
  if (!source) {
    io.err(
      `stressgate import catalog: --metrics-url URL or FILE.prom is required; see 'stressgate import catalog --help'\n`,
    );
    return 2;
  }
  const text = await readSource(source, 'import catalog');
  const result = importCatalog(text, source, {
    runtime: values.runtime ?? false,
    ...(values.out ? { typesImport: specifier(values.out, TYPES) } : {}),
  });
  const module = await formatTypeScript(result.module);
  for (const e of result.entries) for (const n of e.notes) io.err(`not inferred: ${e.name}: ${n}\n`);
  for (const s of result.skipped) io.err(`not proposed: ${s}\n`);
  for (const m of result.differing) io.err(`differs: ${m.metric}: ${m.message}\n`);
  const summary =
    `import catalog: ${result.entries.length} entries proposed, ${result.differing.length} catalog metric(s) differ` +
    (result.runtimeLeftOut.length ? `, ${result.runtimeLeftOut.length} runtime families left out (--runtime)` : '');
  if (values.out) {
    await writeAtomically(values.out, module);
    io.out(`${summary}; wrote ${values.out}\n`);
  } else {
    io.out(module);
    io.err(`${summary}\n`);
  }
  return 0;
}
