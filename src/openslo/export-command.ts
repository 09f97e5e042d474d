// `stressgate export openslo [--app FILE] [--out FILE]`: the SLOs of a construct tree as OpenSLO v1
// YAML, the same text synth writes to infra/openslo/slos.yaml; --app takes another tree (a module
// exporting `app`), e.g. SLOs imported with `stressgate import slos`, to see what it would export.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommand, stdio, type CommandSpec, type Io } from '../command.js';
import { Construct, validateTree } from '../constructs/construct.js';
import { UsageError } from '../usage-error.js';
import { renderOpenSlo } from './export.js';

export const EXPORT_COMMAND = {
  name: 'export',
  usage: 'openslo [--app FILE] [--scope ID] [--out FILE]',
  description:
    'The SLOs as OpenSLO v1 YAML (synth also writes them to infra/openslo/slos.yaml), for tools that read OpenSLO (docs/openslo.md).',
  options: {
    app: {
      type: 'string',
      value: 'FILE',
      description: "module exporting the construct tree as `app` (default: this package's src/definitions.ts)",
    },
    scope: { type: 'string', value: 'ID', description: 'export only the SLOs under the construct with this id' },
    out: { type: 'string', value: 'FILE', description: 'write there (atomically) instead of stdout' },
  },
  positionals: true,
  exit: '0 written, 2 bad usage or an invalid definition.',
} as const satisfies CommandSpec;

async function loadTree(file: string | undefined): Promise<Construct> {
  const mod = (await import(file ? pathToFileURL(resolve(file)).href : '../definitions.js')) as { app?: Construct };
  if (!mod.app) throw new UsageError(`export openslo: ${file} must export the construct tree as \`app\``);
  return mod.app;
}

export async function runExport(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(EXPORT_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values, positionals } = parsed;
  if (positionals.join(' ') !== 'openslo') {
    io.err(`stressgate export: only \`export openslo\` exists; see 'stressgate export --help'\n`);
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
