// `stressgate live-verify` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';

export const LIVE_VERIFY_COMMAND = {
  name: 'live-verify',
  description:
    'Without --target, starts PostgreSQL, Redis, the reference app and Prometheus (1 s intervals) itself, runs the smoke load (on k6 with remote write when k6 is found, else on Node), then asks Prometheus for every dashboard target, recording rule and alert expression; writes OUT/signal-coverage.md and .json.',
  options: {
    prometheus: {
      type: 'string',
      value: 'URL',
      description: 'an existing Prometheus (with --target)',
      env: 'PROMETHEUS_URL',
    },
    target: { type: 'string', value: 'URL', description: 'an existing target', env: 'TARGET_URL' },
    out: { type: 'string', value: 'DIR', description: 'where the coverage goes', default: 'artifacts' },
    dashboards: { type: 'string', value: 'DIR', description: 'the dashboards to prove (default: the generated ones)' },
    hold: { type: 'string', value: 'D', description: "the load's hold, e.g. 15s" },
    'rate-interval': { type: 'string', value: 'D', description: 'the range of rate() in the queries, e.g. 30s' },
    settle: { type: 'string', value: 'D', description: 'wait this long after the load, e.g. 3s' },
    'strict-idle': { type: 'boolean', description: 'a signal idle under the load is a finding' },
    k6: {
      type: 'string',
      description: 'run the load on k6 (default: auto; require under CI=true)',
      choices: ['auto', 'require', 'off'],
    },
    root: { type: 'string', value: 'DIR', description: 'project root', default: '.' },
    format: { type: 'string', description: 'how findings print', choices: ['text', 'github'], default: 'text' },
  },
  exit: '0 pass, 1 findings, 2 usage or unreachable.',
} as const satisfies CommandSpec;
