#!/usr/bin/env -S npx tsx
// stressgate's single entry point. Exit codes: 0 ok, 1 findings/failed checks, 2 usage or definition error.
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefinitionError, DefinitionErrors, type Construct } from './constructs/construct.js';
import { InterlockError } from './load-contract/interlock.js';
import { K6Error } from './gate/k6-driver/binary.js';
import { ProfileError } from './load-contract/profile.js';
import { UsageError } from './usage-error.js';
import { synthesize, writeFileSet } from './synth/index.js';

const HELP = `stressgate <command> [options]

Commands:
  synth     Write the generated Prometheus, Grafana and Kubernetes files from the definitions in src/.
  verify    Re-synthesise and check everything: drift, promtool, schemas, lint (make observability-verify).
  lint      Cross-file lint of the generated files against the metric catalog. lint --foreign
            FILE... lints any team's rule files offline, no catalog (pint's checks; --scrape-interval).
  diff      Semantic diff of alerts, recording rules and dashboards against a git ref, as
            Markdown for a PR comment (--base REF, --format markdown|json; exit 1 on changes,
            or --fail-on weaker|never). diff OLD NEW compares any two rule files, dashboards or
            manifests, judging every alert.
  backtest  Replay the alert changes against a git ref over the recorded gate runs (--base REF,
            --runs DIR (default artifacts/runs), --format markdown|json): per alert and run, how
            often and how long base and head fire; exit 1 when a gate got weaker on a recorded run.
  load      Run a load profile (--profile, --runner node|k6, --target, --scenarios, --duration,
            --prometheus URL, --remote-write URL, --instances N (k6 on N execution segments, the
            union judged; needs --remote-write), --out DIR, --baseline FILE|latest-pass) and judge
            it (docs/verdict.md): exit 0 PASS, 1 FAIL, 3 PARTIAL (a --scenarios run or no
            Prometheus: not a release verdict; --partial-ok makes it 0), 4 INCOMPLETE (the run
            itself was not valid: dropped iterations, a saturated k6, overlap; rerun it), 5
            REGRESSED (worse than the baseline runs beyond tolerance and noise; a profile's
            "regression": "warn" keeps PASS). Every run is archived as
            DIR/runs/<start>-<profile>/verdict.json; latest-pass pools the newest passing ones of
            the profile. Refuses non-loopback targets, and redirects to them,
            unless listed in STRESS_ALLOWED_HOSTS. k6: K6_BIN, PATH or ../shared/tools/k6/k6.
  gate      Judge a finished run: --summary FILE --profile NAME [--runner k6|node --scenarios
            --prometheus URL --start --end --partial-ok], or from Prometheus alone: --prometheus URL
            --from T0 --to T1 --profile NAME [--run LABEL=VALUE, default testrun_name=stressgate-NAME];
            --baseline FILE|latest-pass as for load; writes artifacts/verdict.json and verdict.md;
            exit codes as for load.
  report    Fill the stress-test report from artifacts/ into stress-report.md, a self-contained
            stress-report.html with SLO charts from Prometheus (--prometheus URL, --release) and
            stress-report.pdf for sign-off; missing evidence is listed first and reads INCOMPLETE.
  live-verify    Prove every panel, recording rule and alert on real data (own stack, or
                 --prometheus/--target); writes artifacts/signal-coverage.md.
  catalog-check  Compare a service's /metrics with the catalog (--metrics-url URL, --write).
  import    Typed source from what exists elsewhere (docs/import.md): import dashboard FILE.json
            (Grafana), import rules FILE.yml (Prometheus rules, or a PrometheusRule) [--out FILE.ts
            --force]: catalog series become typed references, the rest raw PromQL, listed;
            \`import catalog --metrics-url URL|FILE.prom\` proposes catalog entries for what a real
            exposition has and the catalog lacks (a URL passes the interlock); \`import slos
            FILE.yaml\` writes Slo constructs from OpenSLO v1 YAML, listing what it could not type.
  export    \`export openslo [--app FILE] [--scope ID] [--out FILE]\`: the SLOs as OpenSLO v1 YAML
            (synth also writes it to infra/openslo/slos.yaml).
  drill          Fault and alert drills under load (--drill redis|app-restart|db|alerts|all,
                 --driver local|stack|compose); writes artifacts/drills/<name>.json.
  e2e       The browser journeys (Playwright, Debian's Chromium) against --base-url (BASE_URL,
            interlocked like load targets), --tags @smoke|@preprod, --journeys notification,...;
            writes artifacts/playwright/ (journeys.json, report/, traces); exit 0 only on PASS.
  e2e-under-load  The journeys while a load profile runs (--profile, --runner, --target, --base-url,
            --tags, --duration, --prometheus); the verdict includes them.
  mutation       Score the alert tests: mutate each threshold, hold, window and label filter of the
                 generated rules and list every mutant the tests let pass (--root DIR; no cache).
  help      Show this text.

Options:
  --root DIR       project root (default: current directory)
  --app FILE       module exporting the construct tree as \`app\` (default: this package's src/definitions.ts)
  --format F       text | github (lint and verify findings)

Exit codes: 0 success, 1 checks failed, 2 bad usage or an invalid definition (load and gate: 3 PARTIAL,
4 INCOMPLETE, 5 REGRESSED).`;

async function loadApp(appFile: string | undefined): Promise<Construct> {
  const file = appFile ? resolve(appFile) : join(import.meta.dirname, 'definitions.ts');
  const mod = (await import(pathToFileURL(file).href)) as { app?: Construct };
  if (!mod.app) throw new DefinitionError({ path: file }, 'app', 'the module must export the construct tree as `app`');
  return mod.app;
}

/** The command being run, for the error handler. */
const running = { command: '' };

async function main(argv: string[]): Promise<number> {
  // `diff` takes its own options (--base, --format markdown|json).
  if (argv[0] === 'diff') return (await import('./diff/index.js')).runDiff(argv.slice(1));
  if (argv[0] === 'backtest') return (await import('./backtest/index.js')).runBacktest(argv.slice(1));
  if (argv[0] === 'lint' && argv.includes('--foreign'))
    return (await import('./foreign-lint/index.js')).runForeignLint(argv);
  // Load commands take their options from flags or the Make variables' environment (PROFILE=, TARGET_URL=, ...).
  // The gate runs load through the Node runner it is given: composed here, above both.
  if (argv[0] === 'load')
    return (await import('./gate/run.js')).runLoad(argv.slice(1), (await import('../load/node/runner.js')).nodeRunner);
  if (argv[0] === 'gate') return (await import('./gate/run.js')).runGate(argv.slice(1));
  if (argv[0] === 'report') return (await import('./report/index.js')).runReport(argv.slice(1));
  if (argv[0] === 'live-verify') return (await import('./live/index.js')).runLiveVerify(argv.slice(1));
  if (argv[0] === 'import') return (await import('./import/index.js')).runImport(argv.slice(1));
  if (argv[0] === 'export') return (await import('./openslo/export-command.js')).runExport(argv.slice(1));
  if (argv[0] === 'catalog-check') return (await import('./catalog-check/index.js')).runCatalogCheck(argv.slice(1));
  if (argv[0] === 'drill') return (await import('./drills/index.js')).runDrill(argv.slice(1));
  if (argv[0] === 'e2e') return (await import('./e2e/run.js')).runE2e(argv.slice(1));
  if (argv[0] === 'e2e-under-load') return (await import('./e2e/under-load.js')).runE2eUnderLoad(argv.slice(1));
  if (argv[0] === 'mutation') return (await import('./verify/mutation/index.js')).runMutation(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: 'string' },
      app: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
  running.command = command;
  const root = resolve(values.root ?? process.cwd());
  if (values.format !== 'text' && values.format !== 'github') {
    console.error(`--format must be text or github, not "${values.format}"`);
    return 2;
  }
  switch (command) {
    case 'help':
      console.log(HELP);
      return 0;
    case 'synth': {
      const files = await synthesize(await loadApp(values.app), { projectRoot: root });
      const { written, removed } = await writeFileSet(root, files);
      for (const p of written) console.log(`wrote   ${p}`);
      for (const p of removed) console.log(`removed ${p}`);
      console.log(`synth: ${files.size} files, ${written.length} changed, ${removed.length} removed`);
      return 0;
    }
    case 'lint':
    case 'verify': {
      const { runVerify } = await import('./verify/index.js');
      // The definitions load on first use: a run whose drift result is reused never needs them.
      let app: Promise<Construct> | undefined;
      return runVerify({
        root,
        app: () => (app ??= loadApp(values.app)),
        format: values.format,
        only: command === 'lint' ? 'lint' : undefined,
        reuse: !values.app,
      });
    }
    default:
      console.error(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

/** Errors a user fixes from the message alone: print it without a stack trace. */
function isUsageError(err: unknown): err is Error {
  if (
    err instanceof DefinitionError ||
    err instanceof DefinitionErrors ||
    err instanceof ProfileError ||
    err instanceof InterlockError ||
    err instanceof UsageError ||
    err instanceof K6Error
  )
    return true;
  const code = (err as { code?: unknown })?.code;
  return (
    err instanceof Error &&
    (err.message.startsWith('src/') || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')))
  );
}

/** Commands that write files promise to write all or nothing; only they say which it was. */
const WRITES_ATOMICALLY = new Set(['synth']);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const written = WRITES_ATOMICALLY.has(running.command) ? '\nNothing was written.' : '';
    if (isUsageError(err)) console.error(`error: ${err.message}${written}`);
    else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
