// `stressgate report` as data: its options, parsed by src/command.ts and shown by its --help.
import type { CommandSpec } from '../command.js';

export const REPORT_COMMAND = {
  name: 'report',
  description:
    'Fills docs/final-testing/stress-test-report-template.md from the artifacts and writes stress-report.md, a self-contained stress-report.html with SLO charts from Prometheus and stress-report.pdf (headless Chromium) for sign-off; missing evidence is listed first and reads INCOMPLETE.',
  options: {
    artifacts: {
      type: 'string',
      value: 'DIR',
      description: 'where the inputs are and the report goes',
      default: 'artifacts',
    },
    prometheus: {
      type: 'string',
      value: 'URL',
      description: 'the Prometheus that scraped the run: the SLO charts',
      default: '',
      env: 'PROMETHEUS_URL',
    },
    release: { type: 'string', value: 'NAME', description: 'the release', default: 'unreleased', env: 'RELEASE' },
    environment: {
      type: 'string',
      value: 'TEXT',
      description: 'where the run ran',
      default: 'local reference stack',
      env: 'TARGET_URL',
    },
    start: { type: 'string', value: 'ISO', description: 'the run window, when the verdict has none' },
    end: { type: 'string', value: 'ISO', description: 'the end of that window' },
    'scrape-interval': {
      type: 'string',
      value: 'D',
      description: 'e.g. 15s (default: read from Prometheus, /api/v1/status/config)',
    },
    'evaluation-interval': { type: 'string', value: 'D', description: 'e.g. 15s (default: read from Prometheus)' },
    job: { type: 'string', value: 'NAME', description: 'the scrape job of the target', default: 'api' },
    template: {
      type: 'string',
      value: 'FILE',
      description: 'the report template',
      default: 'docs/final-testing/stress-test-report-template.md',
    },
    baseline: {
      type: 'string',
      value: 'FILE',
      description:
        "a previous passing verdict to compare the run with, side by side with charts (default: the comparison in the verdict's own baseline section)",
    },
  },
  exit: '0 report written (its badge says PASS, FAIL or INCOMPLETE), 2 bad input, usage, or no Chromium (CHROMIUM_PATH= picks the browser; default /usr/bin/chromium).',
} as const satisfies CommandSpec;
