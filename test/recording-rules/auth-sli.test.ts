// The auth-failure SLI on the committed recording rules, evaluated by the real promtool: throttled
// logins (refused unchecked, HTTP 429) are neither failures nor attempts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { metrics } from '../../src/catalog/index.js';
import { ROOT } from '../helpers.js';

const series = (outcome: string, perMinute: number) => ({
  series: `${metrics.authOperations.name}{job="api",instance="app:8080",operation="login",outcome="${outcome}"}`,
  values: `0+${perMinute}x20`,
});

describe('auth-failure SLI', () => {
  it('is failures / (successes + failures): a flood of throttled logins neither raises nor dilutes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-sli-'));
    try {
      const file = join(dir, 'auth-sli.test.yml');
      await writeFile(
        file,
        stringify({
          rule_files: [join(ROOT, 'infra/prometheus/recording-rules.yml')],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: [series('failure', 10), series('success', 990), series('throttled', 5000)],
              promql_expr_test: [
                {
                  expr: 'job:auth_operations_failures:ratio_rate5m',
                  eval_time: '10m',
                  exp_samples: [{ labels: 'job:auth_operations_failures:ratio_rate5m{job="api"}', value: 0.01 }],
                },
              ],
            },
          ],
        }),
      );
      const result = await promisify(execFile)('promtool', ['test', 'rules', file]).then(
        () => ({ ok: true, out: '' }),
        (e: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
      );
      assert.ok(result.ok, result.out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
