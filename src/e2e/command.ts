// `stressgate e2e` and `stressgate e2e-under-load` as data: their options, parsed by src/command.ts
// and shown by their --help.
import type { CommandSpec } from '../command.js';
import { DEFAULT_TARGET, LOAD_COMMAND } from '../gate/command.js';

const tags = {
  type: 'string',
  description: 'the journeys to run: @smoke (quick) or @preprod (deeper)',
  choices: ['@smoke', '@preprod'],
  default: '@smoke',
  env: 'TAGS',
} as const;
const journeys = {
  type: 'string',
  value: 'LIST',
  description: 'only these journeys (notification,messaging,game)',
  default: '',
  env: 'JOURNEYS',
} as const;

export const E2E_COMMAND = {
  name: 'e2e',
  description:
    'The browser journeys against the base URL (non-loopback hosts need STRESS_ALLOWED_HOSTS). Writes OUT/journeys.json, OUT/report/ and OUT/test-results/ (traces and screenshots of failed journeys).',
  options: {
    'base-url': {
      type: 'string',
      value: 'URL',
      description: 'the web client',
      default: DEFAULT_TARGET,
      env: 'BASE_URL',
    },
    tags,
    journeys,
    out: {
      type: 'string',
      value: 'DIR',
      description: 'where the results go',
      default: 'artifacts/playwright',
      env: 'E2E_OUT',
    },
  },
  exit: '0 every journey passed within budget, 1 one did not, 2 usage.',
} as const satisfies CommandSpec;

const load = LOAD_COMMAND.options;

export const E2E_UNDER_LOAD_COMMAND = {
  name: 'e2e-under-load',
  description:
    'Runs the load profile against the target and, once it has ramped up, the browser journeys against the base URL. Writes OUT/verdict.json and verdict.md with the journeys (the journeys under OUT/playwright/). A profile shorter than 180 s (@smoke) or 900 s (@preprod) gets a longer hold.',
  options: {
    profile: { ...load.profile, default: 'smoke' },
    runner: load.runner,
    target: load.target,
    'base-url': {
      type: 'string',
      value: 'URL',
      description: 'the web client (default: the target)',
      default: '',
      env: 'BASE_URL',
    },
    tags,
    journeys,
    duration: load.duration,
    prometheus: load.prometheus,
    out: { type: 'string', value: 'DIR', description: 'where the verdict goes', default: 'artifacts' },
  },
  exit: '0 PASS, 1 FAIL, 2 usage.',
} as const satisfies CommandSpec;
