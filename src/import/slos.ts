// `stressgate import slos FILE.yaml [--out FILE.ts]`: Slo constructs, in the style of
// src/slos/index.ts, from OpenSLO v1 YAML (ours from infra/openslo/slos.yaml, or any other
// tool's), with what could not be typed listed on stderr and at the top of the module.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stdio, type Io } from '../command.js';
import { sloModule } from '../openslo/codegen.js';
import { importSlos } from '../openslo/import-model.js';
import { parseOpenSlo } from '../openslo/parse.js';
import { formatTypeScript } from './format.js';
import { readSource } from './source.js';
import { specifier, writeAtomically } from './write.js';

const USAGE = `import slos FILE.yaml [--out FILE.ts]
  Writes Slo constructs (TypeScript, src/slos/index.ts style) from OpenSLO v1 YAML: each SLO's
  ratioMetric as a ratioRule over catalog metrics, or a quantileRule when it is a histogram bucket
  over its count; series the catalog lacks stay raw PromQL. The stressgate/ annotations our export
  writes give back the gate settings; anything else OpenSLO cannot say gets a default and a note.
  Writes the module to --out (atomically) or stdout; exit 0 written, 2 usage or an invalid file.`;

const SRC = join(import.meta.dirname, '..');

export async function importSlosCommand(argv: string[], io: Io = stdio): Promise<number> {
  let parsed: { values: { out?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) return (io.out(`${USAGE}\n`), 0);
  const files = parsed.positionals;
  if (files.length !== 1) {
    io.err(`import slos: give one OpenSLO file\n${USAGE}\n`);
    return 2;
  }
  const file = files[0]!;
  const result = importSlos(parseOpenSlo(await readSource(file, 'import slos'), file));
  const out = parsed.values.out;
  // Specifiers from where the module will live; on stdout, as if it were a module of src/slos/.
  const spec = (srcPath: string) => specifier(out ?? join(SRC, 'slos/imported.ts'), join(SRC, srcPath));
  const module = await formatTypeScript(sloModule(result, file, spec));
  for (const n of result.notes) io.err(`not typed: ${n}\n`);
  const summary = `import slos: ${result.slos.length} SLO(s) imported, ${result.notes.length} note(s)`;
  if (out) {
    await writeAtomically(out, module);
    io.out(`${summary}; wrote ${out}\n`);
  } else {
    io.out(module);
    io.err(`${summary}\n`);
  }
  return 0;
}
