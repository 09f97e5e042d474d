#!/usr/bin/env -S npx tsx
// stressgate's single entry point. The commands are data (COMMANDS): each one's name, its one-line
// summary, its spec (usage and options, src/command.ts: what parses its arguments and prints its
// --help) and the module that runs it, loaded only when it runs, so that --help runs nothing.
// Exit codes: 0 ok, 1 findings/failed checks, 2 usage or definition error.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { columns, commandHelp, parseCommand, wrap, type CommandSpec } from './command.js';
import type { Construct } from './constructs/construct.js';
import { nearest } from './kernel/suggest.js';
import { UsageError } from './usage-error.js';

interface Command {
  readonly name: string;
  readonly summary: string;
  readonly spec: () => Promise<CommandSpec>;
  /** Runs it with the arguments after its name; resolves to the exit code. */
  readonly run: (argv: string[]) => Promise<number>;
}

const SYNTH_COMMAND = {
  name: 'synth',
  description:
    'Writes infra/ from the definitions: unchanged files are not touched, stale generated files are removed, and a definition error writes nothing.',
  options: {
    root: { type: 'string', value: 'DIR', description: 'project root (default: the current directory)' },
    app: {
      type: 'string',
      value: 'FILE',
      description: "module exporting the construct tree as `app` (default: this package's src/definitions.ts)",
    },
  },
  exit: '0 written, 2 bad usage or an invalid definition (nothing was written).',
} as const satisfies CommandSpec;

async function loadApp(appFile: string | undefined): Promise<Construct> {
  const { DefinitionError } = await import('./constructs/construct.js');
  const file = appFile ? resolve(appFile) : join(import.meta.dirname, 'definitions.ts');
  const mod = (await import(pathToFileURL(file).href)) as { app?: Construct };
  if (!mod.app) throw new DefinitionError({ path: file }, 'app', 'the module must export the construct tree as `app`');
  return mod.app;
}

async function runSynth(argv: string[]): Promise<number> {
  const parsed = parseCommand(SYNTH_COMMAND, argv);
  if (!parsed.ok) return parsed.exit;
  const { synthesize, writeFileSet } = await import('./synth/index.js');
  const root = resolve(parsed.values.root ?? process.cwd());
  // The project root: the runbooks' generated facts blocks are filled into the hand-written files there.
  const files = await synthesize(await loadApp(parsed.values.app), { projectRoot: root });
  const { written, removed } = await writeFileSet(root, files);
  for (const p of written) console.log(`wrote   ${p}`);
  for (const p of removed) console.log(`removed ${p}`);
  console.log(`synth: ${files.size} files, ${written.length} changed, ${removed.length} removed`);
  return 0;
}

async function runChecks(which: 'verify' | 'lint', argv: string[]): Promise<number> {
  const specs = await import('./verify/command.js');
  const parsed = parseCommand(which === 'lint' ? specs.LINT_COMMAND : specs.VERIFY_COMMAND, argv);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  if ('foreign' in values && values.foreign) return (await import('./foreign-lint/index.js')).runForeignLint(argv);
  if ('positionals' in parsed && parsed.positionals.length)
    throw new UsageError(`unexpected argument '${parsed.positionals[0]}' (files are linted with --foreign)`);
  const appFile = 'app' in values ? values.app : undefined;
  const { runVerify } = await import('./verify/index.js');
  // The definitions load on first use: a run whose drift result is reused never needs them.
  let app: Promise<Construct> | undefined;
  return runVerify({
    root: resolve(values.root ?? process.cwd()),
    app: () => (app ??= loadApp(appFile)),
    format: values.format as 'text' | 'github' | 'json',
    ...(which === 'lint' ? { only: 'lint' as const } : {}),
    reuse: !appFile,
  });
}

const COMMANDS: readonly Command[] = [
  {
    name: 'synth',
    summary: 'Write infra/ from src/: Prometheus, Alertmanager, Grafana and Kubernetes files.',
    spec: async () => SYNTH_COMMAND,
    run: runSynth,
  },
  {
    name: 'verify',
    summary: 'Check everything: type-check, drift, promtool, mutation score, schemas, lint.',
    spec: async () => (await import('./verify/command.js')).VERIFY_COMMAND,
    run: (argv) => runChecks('verify', argv),
  },
  {
    name: 'lint',
    summary: 'The cross-file lint alone: generated files against the catalog and conventions.',
    spec: async () => (await import('./verify/command.js')).LINT_COMMAND,
    run: (argv) => runChecks('lint', argv),
  },
  {
    name: 'mutation',
    summary: 'The mutation pass alone: its score and every mutant the alert tests let pass.',
    spec: async () => (await import('./verify/command.js')).MUTATION_COMMAND,
    run: async (argv) => (await import('./verify/mutation/index.js')).runMutation(argv),
  },
  {
    name: 'diff',
    summary: 'Semantic diff of rules, dashboards and manifests against a git ref, for a PR.',
    spec: async () => (await import('./diff/command.js')).DIFF_COMMAND,
    run: async (argv) => (await import('./diff/index.js')).runDiff(argv),
  },
  {
    name: 'load',
    summary: 'Run a load profile with k6 or the Node runner and judge it: the release verdict.',
    spec: async () => (await import('./gate/command.js')).LOAD_COMMAND,
    // The gate runs load through the Node runner it is given: composed here, above both.
    run: async (argv) =>
      (await import('./gate/run.js')).runLoad(argv, (await import('../load/node/runner.js')).nodeRunner),
  },
  {
    name: 'gate',
    summary: 'Judge a finished run: a summary from elsewhere, or a run from Prometheus alone.',
    spec: async () => (await import('./gate/command.js')).GATE_COMMAND,
    run: async (argv) => (await import('./gate/run.js')).runGate(argv),
  },
  {
    name: 'report',
    summary: 'The stress-test report from artifacts/: stress-report.md, .html and .pdf.',
    spec: async () => (await import('./report/command.js')).REPORT_COMMAND,
    run: async (argv) => (await import('./report/index.js')).runReport(argv),
  },
  {
    name: 'live-verify',
    summary: 'Prove every panel, recording rule and alert on real data (signal coverage).',
    spec: async () => (await import('./live/command.js')).LIVE_VERIFY_COMMAND,
    run: async (argv) => (await import('./live/index.js')).runLiveVerify(argv),
  },
  {
    name: 'catalog-check',
    summary: "Compare a service's /metrics with the metric catalog, or record its snapshot.",
    spec: async () => (await import('./catalog-check/command.js')).CATALOG_CHECK_COMMAND,
    run: async (argv) => (await import('./catalog-check/index.js')).runCatalogCheck(argv),
  },
  {
    name: 'drill',
    summary: 'Fault and alert drills under load; writes artifacts/drills/<name>.json.',
    spec: async () => (await import('./drills/command.js')).DRILL_COMMAND,
    run: async (argv) => (await import('./drills/index.js')).runDrill(argv),
  },
  {
    name: 'e2e',
    summary: "The browser journeys (Playwright, Debian's Chromium) against a target.",
    spec: async () => (await import('./e2e/command.js')).E2E_COMMAND,
    run: async (argv) => (await import('./e2e/run.js')).runE2e(argv),
  },
  {
    name: 'e2e-under-load',
    summary: 'The browser journeys while a load profile runs; the verdict includes them.',
    spec: async () => (await import('./e2e/command.js')).E2E_UNDER_LOAD_COMMAND,
    run: async (argv) => (await import('./e2e/under-load.js')).runE2eUnderLoad(argv),
  },
  {
    name: 'backtest',
    summary: 'Replay the changed alerts over the recorded gate runs: would a failing run still fail?',
    spec: async () => (await import('./backtest/command.js')).BACKTEST_COMMAND,
    run: async (argv) => (await import('./backtest/index.js')).runBacktest(argv),
  },
  {
    name: 'import',
    summary: 'Dashboards, rule files, an exposition or OpenSLO files to construct source.',
    spec: async () => (await import('./import/index.js')).IMPORT_COMMAND,
    run: async (argv) => (await import('./import/index.js')).runImport(argv),
  },
  {
    name: 'export',
    summary: 'The SLOs as OpenSLO v1 YAML (export openslo).',
    spec: async () => (await import('./openslo/export-command.js')).EXPORT_COMMAND,
    run: async (argv) => (await import('./openslo/export-command.js')).runExport(argv),
  },
];

const VERSION = () =>
  (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

function globalHelp(): string {
  const rows = [...COMMANDS.map((c): [string, string] => [c.name, c.summary])];
  rows.push(['help [COMMAND]', "Show this text, or a command's help."]);
  return [
    'usage: stressgate <command> [options]',
    wrap(
      'Observability as code for the release gate: generated Prometheus rules and Grafana dashboards, their checks, load runs and their verdict.',
    ),
    `Commands:\n${columns(rows, 2, 16)}`,
    `Options:\n${columns([
      ['-h, --help', 'Show this text (after a command: its help).'],
      ['-V, --version', 'Print the version.'],
    ])}`,
    "Run 'stressgate <command> --help' for a command's options.\nExit codes: 0 success, 1 a check failed, 2 bad usage or an invalid definition.",
  ].join('\n\n');
}

function findCommand(name: string): Command {
  const found = COMMANDS.find((c) => c.name === name);
  if (found) return found;
  const near = nearest(name, [...COMMANDS.map((c) => c.name), 'help']);
  throw new UsageError(`unknown command '${name}'${near ? ` (did you mean ${near}?)` : ''}; see 'stressgate --help'`);
}

/** The command being run, and whether it got past its arguments, for the error handler. */
const running = { command: '', started: false };

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') return (console.log(VERSION()), 0);
  if (first === undefined || first === '--help' || first === '-h') return (console.log(globalHelp()), 0);
  if (first === 'help') {
    if (!rest[0] || rest[0] === 'help') return (console.log(globalHelp()), 0);
    return (console.log(commandHelp(await findCommand(rest[0]).spec())), 0);
  }
  if (first.startsWith('-'))
    throw new UsageError(
      `give the command first, then its options: stressgate <command> ${first}; see 'stressgate --help'`,
    );
  const command = findCommand(first);
  running.command = command.name;
  // Checked against the spec before the command's module loads: --help and a mistyped option start nothing.
  if (!parseCommand(await command.spec(), rest).ok) return 0;
  running.started = true;
  return command.run(rest);
}

/**
 * Errors a user fixes from the message alone, as the one line (or list) printed without a stack trace:
 * a mistake in the call or its inputs names the command; definition errors keep their `error:` heading.
 */
async function errorText(err: unknown, who: string): Promise<string | undefined> {
  if (!(err instanceof Error)) return undefined;
  if (err instanceof UsageError) return `${who}: ${err.message}`;
  const [{ DefinitionError, DefinitionErrors }, { InterlockError }, { K6Error }, { ProfileError }, prom] =
    await Promise.all([
      import('./constructs/construct.js'),
      import('./load-contract/interlock.js'),
      import('./gate/k6-driver/binary.js'),
      import('./load-contract/profile.js'),
      import('./kernel/prometheus-client.js'),
    ]);
  if ([InterlockError, K6Error, ProfileError, prom.PromUnreachable].some((kind) => err instanceof kind))
    return `${who}: ${err.message}`;
  if (err instanceof DefinitionError || err instanceof DefinitionErrors || err.message.startsWith('src/'))
    return `error: ${err.message}`;
  return undefined;
}

/** A package the install lacks (`npm ci` not run, or run long ago): the one thing to do. */
const missingPackage = (err: unknown) => {
  const m = /Cannot find (?:package|module) '([^'./][^']*)'/.exec((err as Error)?.message ?? '');
  const code = (err as { code?: string })?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && m ? m[1] : undefined;
};

/** Commands that write files promise to write all or nothing; only they say which it was. */
const WRITES_ATOMICALLY = new Set(['synth']);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => {
    const who = running.command ? `stressgate ${running.command}` : 'stressgate';
    const written = running.started && WRITES_ATOMICALLY.has(running.command) ? '\nNothing was written.' : '';
    const missing = missingPackage(err);
    const text = missing
      ? `${who}: package '${missing}' is not installed: run \`npm ci\` first`
      : await errorText(err, who);
    if (text) console.error(`${text}${written}`);
    else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
