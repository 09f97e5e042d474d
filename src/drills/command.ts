// `stressgate drill` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';

export const DRILL_COMMAND = {
  name: 'drill',
  description:
    "Injects faults under concurrent chat, notification and game load and times readiness, recovery and delivery; alert drills inject every gate alert's fault and see ALERTS{alertname=...} pending, then cleared. Writes OUT/drills/<name>.json.",
  options: {
    drill: {
      type: 'string',
      description: 'which drill',
      choices: ['redis', 'app-restart', 'db', 'alerts', 'all'],
      default: 'all',
    },
    driver: {
      type: 'string',
      description: 'what the faults act on',
      choices: ['local', 'stack', 'compose'],
      default: 'local',
    },
    out: { type: 'string', value: 'DIR', description: 'where the results go', default: 'artifacts' },
    outage: { type: 'string', value: 'D', description: 'how long each fault lasts', default: '3s' },
    'rooms-timeout': { type: 'string', value: 'D', description: 'how long rooms may take to close, e.g. 30s' },
    'compose-file': {
      type: 'string',
      value: 'FILE',
      description: 'the Compose file (--driver compose)',
      default: 'infra/docker-compose.yml',
    },
    target: { type: 'string', value: 'URL', description: 'the target (--driver compose)' },
    'database-url': { type: 'string', value: 'URL', description: 'its PostgreSQL (--driver compose)' },
    root: { type: 'string', value: 'DIR', description: 'project root', default: '.' },
  },
  exit: '0 pass, 1 a drill failed, 2 usage.',
} as const satisfies CommandSpec;
