// The browser journeys (docs/ui-contract.md): Debian's Chromium, one worker, no retries (a gate does
// not retry its evidence), traces kept for failures, the HTML report and journeys.json under
// E2E_OUT (artifacts/playwright). BASE_URL passes the same interlock as every load target.
import { defineConfig } from '@playwright/test';
import { assertTargetAllowed } from '../src/gate/interlock.js';
import { e2ePaths } from './paths.js';

const baseURL = assertTargetAllowed(process.env.BASE_URL || 'http://127.0.0.1:18080', undefined, 'BASE_URL').origin;
const paths = e2ePaths();

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: paths.results,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 5_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: paths.report, open: 'never' }],
    ['./journeys-reporter.ts', { outputFile: paths.journeys, reportDir: paths.report, baseUrl: baseURL }],
  ],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
