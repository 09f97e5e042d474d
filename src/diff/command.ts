// `stressgate diff` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';
import { FAIL_ON } from './outcome.js';

export const DIFF_COMMAND = {
  name: 'diff',
  usage: '[--base REF] [options]\n       stressgate diff OLD NEW [options]',
  description: `Compares the generated rule files (infra/prometheus/{recording-rules,alerts}.yml) and dashboards (infra/grafana/provisioning/dashboards/*.json) at a git ref with the working tree, and prints what changed: alerts and recording rules by name (expression, thresholds, for, labels, annotations), dashboards by uid (panels, queries, units, layout) and the Kubernetes manifests (infra/kubernetes/) by kind and name (TestRun parallelism, arguments, env, resources; PrometheusRule groups; embedded dashboards; ConfigMap keys). Gate alerts (label gate: release) that got weaker are listed first.

With two paths, compares those two files instead (any team's): two rule files, two dashboards (JSON) or two files of Kubernetes manifests (PrometheusRule, GrafanaDashboard, ...), told apart by their content. Every alert is judged there (weaker, review, stricter), gate label or not.

The report goes to stdout; one line on stderr says what was found and what the exit status means.`,
  options: {
    base: {
      type: 'string',
      value: 'REF',
      description: 'git ref to compare against (default: origin/main, or HEAD when it does not exist)',
    },
    format: {
      type: 'string',
      description: 'markdown (for PR comments) or json (the DiffReport structure)',
      choices: ['markdown', 'json'],
      default: 'markdown',
    },
    'fail-on': {
      type: 'string',
      description:
        'what exits 1: changes (any change), weaker (only gate alerts that got weaker), never (the diff ran: exit 0 whatever it found)',
      choices: FAIL_ON,
      default: 'changes',
    },
    root: { type: 'string', value: 'DIR', description: 'project root (default: the current directory)' },
  },
  positionals: true,
  exit: '0 nothing to fail on, 1 what --fail-on names was found, 2 bad usage, git error or unreadable file.',
} as const satisfies CommandSpec;
