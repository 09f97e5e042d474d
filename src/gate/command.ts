// `stressgate load` and `stressgate gate` as data: their options, parsed by src/command.ts and shown
// by their --help. Defaults a Make variable can set name it (PROFILE=, TARGET_URL=, ...).
import type { CommandSpec } from '../command.js';

export const DEFAULT_TARGET = 'http://127.0.0.1:18080';

const EXIT =
  '0 PASS, 1 FAIL, 3 PARTIAL (a --scenarios run or no Prometheus: not a release verdict; --partial-ok makes it 0), 4 INCOMPLETE (the run itself was not valid: dropped iterations, a saturated k6, overlap; rerun it), 5 REGRESSED (worse than three or more baseline runs beyond tolerance and noise; a profile\'s "regression": "warn" keeps PASS), 2 bad usage, or no evidence to judge.';

const BASELINE_OPTION = {
  type: 'string',
  value: 'FILE|latest-pass',
  description:
    'judge against earlier passing runs: verdict files (comma-separated), or the newest passing ones of the profile under OUT/runs/ (docs/verdict.md, Baseline)',
  default: '',
  env: 'BASELINE',
} as const;

export const LOAD_COMMAND = {
  name: 'load',
  description:
    'Runs a load profile (load/profiles/NAME.json) against the target and judges the run from every source it has (docs/verdict.md); writes OUT/verdict.json and verdict.md. Refuses non-loopback targets, and redirects to them, unless listed in STRESS_ALLOWED_HOSTS. k6 is K6_BIN, else on PATH, else ../shared/tools/k6/k6.',
  options: {
    profile: {
      type: 'string',
      value: 'NAME',
      description: 'the load profile, or a .json file',
      default: 'moderate',
      env: 'PROFILE',
    },
    runner: {
      type: 'string',
      description: 'what generates the load',
      choices: ['node', 'k6'],
      default: 'node',
      env: 'RUNNER',
    },
    target: {
      type: 'string',
      value: 'URL',
      description: 'the system under test',
      default: DEFAULT_TARGET,
      env: 'TARGET_URL',
    },
    scenarios: {
      type: 'string',
      value: 'LIST',
      description: 'run only these scenarios (comma-separated): a PARTIAL verdict',
      default: '',
      env: 'SCENARIOS',
    },
    duration: {
      type: 'string',
      value: 'D',
      description: "hold the profile's plateau this long (e.g. 30m)",
      default: '',
      env: 'DURATION',
    },
    out: { type: 'string', value: 'DIR', description: 'where the summary and verdict go', default: 'artifacts' },
    prometheus: {
      type: 'string',
      value: 'URL',
      description: "the Prometheus that scraped the target: the verdict's server side",
      default: '',
      env: 'PROMETHEUS_URL',
    },
    'remote-write': {
      type: 'string',
      value: 'URL',
      description: 'where k6 remote-writes its own metrics (native histograms)',
      default: '',
      env: 'K6_PROMETHEUS_RW_SERVER_URL',
    },
    'partial-ok': { type: 'boolean', description: 'exit 0 on a PARTIAL verdict' },
    instances: {
      type: 'string',
      value: 'N',
      description: 'k6 on N execution segments, the union judged (needs --runner k6 and --remote-write)',
      default: '',
      env: 'INSTANCES',
    },
    baseline: BASELINE_OPTION,
    'database-url': {
      type: 'string',
      value: 'URL',
      description: "the target's PostgreSQL: the platform invariants are checked there after the run",
      default: '',
      env: 'STRESS_DATABASE_URL',
    },
  },
  exit: EXIT,
} as const satisfies CommandSpec;

export const GATE_COMMAND = {
  name: 'gate',
  description:
    "Judges a k6 --summary-export or Node runner summary (--summary FILE --profile NAME), or, without --summary, a run from Prometheus alone over --from/--to (k6's remote-written series, as after a k6-operator TestRun; --run picks them, default testrun_name=stressgate-NAME). Writes OUT/verdict.json and verdict.md.",
  options: {
    summary: { type: 'string', value: 'FILE', description: 'the summary to judge' },
    profile: {
      type: 'string',
      value: 'NAME',
      description: 'the load profile the run used, or a .json file',
      default: 'moderate',
    },
    runner: { type: 'string', description: 'what produced the summary', choices: ['k6', 'node'], default: 'k6' },
    scenarios: {
      type: 'string',
      value: 'LIST',
      description: 'the scenarios the run had (comma-separated), if not all',
      default: '',
    },
    prometheus: {
      type: 'string',
      value: 'URL',
      description: 'the Prometheus that scraped the run',
      default: '',
      env: 'PROMETHEUS_URL',
    },
    from: { type: 'string', value: 'T0', description: "the run's start, ISO time (default: an hour before --to)" },
    to: { type: 'string', value: 'T1', description: "the run's end, ISO time (default: now)" },
    start: { type: 'string', value: 'T0', description: 'the same as --from' },
    end: { type: 'string', value: 'T1', description: 'the same as --to' },
    run: {
      type: 'string',
      value: 'LABEL=VALUE',
      description: "the label of the run's k6 series (e.g. testid=smoke-abc)",
    },
    out: { type: 'string', value: 'DIR', description: 'where the verdict goes', default: 'artifacts' },
    'partial-ok': { type: 'boolean', description: 'exit 0 on a PARTIAL verdict' },
    baseline: BASELINE_OPTION,
  },
  exit: EXIT,
} as const satisfies CommandSpec;
