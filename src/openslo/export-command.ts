// `stressgate export openslo [--app FILE] [--out FILE]`: the SLOs of a construct tree as OpenSLO v1
// YAML, the same text synth writes to infra/openslo/slos.yaml; --app takes another tree (a module
// exporting `app`), e.g. SLOs imported with `stressgate import slos`, to see what it would export.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stdio, type Io } from '../command.js';
import { Construct, validateTree } from '../constructs/construct.js';
import { UsageError } from '../usage-error.js';
import { renderOpenSlo } from './export.js';

const USAGE = `export openslo [--app FILE] [--scope ID] [--out FILE]
  The SLOs (those with a production objective) as OpenSLO v1 YAML, on stdout or written to --out.
  --scope ID exports only the SLOs under the construct of that id (e.g. openslo-slos, where the
  modules \`import slos\` writes put theirs), since every tree carries the platform's own SLOs.`;

async function loadTree(file: string | undefined): Promise<Construct> {
  const mod = (await import(file ? pathToFileURL(resolve(file)).href : '../definitions.js')) as { app?: Construct };
  if (!mod.app) throw new UsageError(`export openslo: ${file} must export the construct tree as \`app\``);
  return mod.app;
}

export async function runExport(argv: string[], io: Io = stdio): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      scope: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (io.out(`${USAGE}\n`), 0);
  if (positionals.join(' ') !== 'openslo') {
    io.err(`export: only \`export openslo\` exists\n${USAGE}\n`);
    return 2;
  }
  const app = await loadTree(values.app);
  validateTree(app);
  const scope = values.scope ? app.findAll(Construct).find((c) => c.id === values.scope) : app;
  if (!scope) throw new UsageError(`export openslo: no construct with id "${values.scope}" in the tree`);
  const text = renderOpenSlo(scope);
  if (!text) throw new UsageError('export openslo: the tree has no SLO with a production objective');
  if (values.out) {
    // Whole or not at all: a temporary sibling, then a rename.
    const target = resolve(values.out);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.tmp-${process.pid}`, text);
    await rename(`${target}.tmp-${process.pid}`, target);
    io.out(`export openslo: wrote ${values.out}\n`);
  } else io.out(text);
  return 0;
}
