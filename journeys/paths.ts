// Where the journeys write: E2E_OUT (default artifacts/playwright), shared by the config, the
// reporter and the stressgate e2e command.
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export function e2ePaths(out = process.env.E2E_OUT || 'artifacts/playwright') {
  const dir = resolve(ROOT, out);
  return {
    dir,
    journeys: resolve(dir, 'journeys.json'),
    report: resolve(dir, 'report'),
    results: resolve(dir, 'test-results'),
  };
}
