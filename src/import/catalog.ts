// `stressgate import catalog --metrics-url URL|FILE.prom [--out FILE.ts] [--runtime]`: proposed
// catalog entries, in the style of src/catalog/metrics.ts, for what a real exposition has and the
// catalog lacks; what could not be inferred and the catalog metrics it contradicts go to stderr (and
// into the module as comments).
import { join } from 'node:path';
import { importCatalog } from '../catalog-check/catalog-import.js';
import { parseCommand, stdio, type Io } from '../command.js';
import { formatTypeScript } from './format.js';
import { readSource } from './source.js';
import { specifier, writeAtomically } from './write.js';

const USAGE = `import catalog --metrics-url URL|FILE.prom [--out FILE.ts] [--runtime]
  Proposes catalog entries (src/catalog/metrics.ts style) for the metric families a real /metrics
  exposition has and the catalog lacks, and lists the catalog metrics whose type, labels or buckets
  differ from it. A URL must be loopback or in STRESS_ALLOWED_HOSTS. --runtime also proposes the client
  libraries' runtime families (process_*, nodejs_*, go_*, ...), which conformance otherwise ignores.
  Writes the module to --out (atomically) or stdout; exit 0 written, 2 usage or unreadable source.`;

const TYPES = join(import.meta.dirname, '../catalog/types.js');

export async function importCatalogCommand(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(
    argv,
    { 'metrics-url': { type: 'string' }, out: { type: 'string' }, runtime: { type: 'boolean', default: false } },
    USAGE,
    io,
  );
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const source = values['metrics-url'];
  if (!source) {
    io.err(`import catalog: --metrics-url URL or FILE.prom is required\n${USAGE}\n`);
    return 2;
  }
  const text = await readSource(source, 'import catalog');
  const result = importCatalog(text, source, {
    runtime: values.runtime,
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
