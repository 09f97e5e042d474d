// `stressgate catalog-check` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';

export const CATALOG_CHECK_COMMAND = {
  name: 'catalog-check',
  description:
    "Compares a service's /metrics with the catalog: missing, extra, type, label and bucket mismatches (docs/catalog-snapshots.md).",
  options: {
    'metrics-url': {
      type: 'string',
      value: 'URL',
      description: 'the http(s)://host:port/metrics to scrape (required)',
      env: 'METRICS_URL',
    },
    'reference-app': {
      type: 'boolean',
      description:
        'instead of --metrics-url: start the reference app on 127.0.0.1 with throw-away PostgreSQL and Redis and check it, no traffic (make catalog-snapshot)',
    },
    write: { type: 'boolean', description: 'propose catalog entries for the extra metrics' },
    snapshot: {
      type: 'string',
      value: 'FILE',
      description: 'record the scrape as the committed snapshot verify checks offline (catalog/snapshots/<job>.prom)',
    },
    strict: { type: 'boolean', description: 'runtime default families count too' },
    format: { type: 'string', description: 'how findings print', choices: ['text', 'github', 'json'], default: 'text' },
  },
  exit: '0 conforms, 1 mismatches, 2 usage or unreachable.',
} as const satisfies CommandSpec;
