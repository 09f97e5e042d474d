// `stressgate verify`, `lint` and `mutation` as data: their options, parsed by src/command.ts and
// shown by their --help.
import type { CommandSpec } from '../command.js';

const root = { type: 'string', value: 'DIR', description: 'project root (default: the current directory)' } as const;
const app = {
  type: 'string',
  value: 'FILE',
  description: "module exporting the construct tree as `app` (default: this package's src/definitions.ts)",
} as const;
const format = {
  type: 'string',
  description:
    'text (one line per step, findings under it), github (workflow annotations) or json (every step and finding, on stdout)',
  choices: ['text', 'github', 'json'],
  default: 'text',
} as const;

export const VERIFY_COMMAND = {
  name: 'verify',
  description:
    "Type-check (TypeScript 7), drift, promtool check config, promtool check rules --lint=all --lint-fatal and promtool test rules over every generated rule and test file, the alert tests' mutation score, JSON Schemas, load profiles, catalog vs service snapshots, lint: one line per step with its time (docs/verify.md). Never writes a generated file.",
  options: { root, app, format },
  exit: '0 every check passed, 1 a check failed (each finding names the file, the object and the fix), 2 bad usage or an invalid definition.',
} as const satisfies CommandSpec;

export const LINT_COMMAND = {
  name: 'lint',
  usage: '[options]\n       stressgate lint --foreign FILE... [--scrape-interval D] [--format text|github]',
  description:
    "The cross-file lint alone: PromQL against the catalog, conventions, runbooks, tests, units, range windows, prometheus.yml, how dashboards read. With --foreign, pint's offline checks on any team's rule files or PrometheusRules instead, no catalog needed.",
  options: {
    root,
    format,
    foreign: { type: 'boolean', description: "lint the FILEs given (any team's rule files), not this project" },
    'scrape-interval': {
      type: 'string',
      value: 'D',
      description: 'with --foreign: the scrape interval rate() windows are judged against (default 1m)',
    },
  },
  positionals: true,
  exit: '0 no error, 1 findings, 2 bad usage.',
} as const satisfies CommandSpec;

export const MUTATION_COMMAND = {
  name: 'mutation',
  description:
    'Mutates each threshold, hold, window and label filter of the generated rules and lists every mutant the promtool tests let pass. Shows its progress on stderr on a terminal (not under CI=true, nor when piped).',
  options: { root },
  exit: '0 every mutant killed, 1 a survivor or failing tests, 2 bad usage.',
} as const satisfies CommandSpec;
