// `stressgate backtest` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';

export const BACKTEST_COMMAND = {
  name: 'backtest',
  description:
    'Replays the alerts and recording rules that changed against a git ref over the recorded gate runs (artifacts/runs/: each run’s Prometheus data as OpenMetrics), in a throw-away Prometheus on loopback: per alert and run, how often and how long base and head fire, and whether a recorded failing run would still fail the gate (docs/backtest.md).',
  options: {
    base: {
      type: 'string',
      value: 'REF',
      description: 'git ref to compare against (default: origin/main, or HEAD when it does not exist)',
    },
    runs: { type: 'string', value: 'DIR', description: 'the recorded runs (default: ROOT/artifacts/runs)' },
    format: {
      type: 'string',
      description: 'markdown (for PR comments) or json',
      choices: ['markdown', 'json'],
      default: 'markdown',
    },
    root: { type: 'string', value: 'DIR', description: 'project root (default: the current directory)' },
  },
  exit: '0 no gate got weaker on a recorded run, 1 one did (proven on that run), 2 bad usage, git error or an unreadable run.',
} as const satisfies CommandSpec;
