// Loki readiness: the log panels' LogQL (parsed with @grafana/lezer-logql) against the labels the
// promtail pipeline ships and the fields of the reference app's real log lines (main.ts run as a
// child process against real PostgreSQL and Redis).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  checkLokiTargets,
  lokiReadiness,
  parseLogQL,
  promtailLabels,
  type LokiReadiness,
} from '../../src/live/loki.js';
import { loadPanelTargets, type PanelTarget } from '../../src/live/sources.js';
import { startDeps, type Deps } from '../reference-app/harness.js';
import { ROOT } from '../helpers.js';

describe('loki readiness', () => {
  let deps: Deps;
  let panels: PanelTarget[];
  let result: LokiReadiness;
  before(async () => {
    deps = await startDeps();
    panels = await loadPanelTargets(join(ROOT, 'infra/grafana/provisioning/dashboards'), ROOT, { rateInterval: '30s' });
    result = await lokiReadiness(ROOT, panels, { DATABASE_URL: deps.pg.url, REDIS_URL: deps.redis.url });
  });
  after(async () => {
    await deps?.dispose();
  });

  it('parses LogQL with the Grafana grammar', () => {
    const q = parseLogQL('{app="api", env!="x"} |= "err" | json | severity="error" | ms > 10ms');
    assert.deepEqual(
      q.selector.map((m) => m.label),
      ['app', 'env'],
    );
    assert.deepEqual(
      q.filters.map((f) => `${f.label}:${f.kind}`),
      ['severity:string', 'ms:duration'],
    );
    assert.match(parseLogQL('{job="api" | json').error ?? '', /syntax error/);
  });

  it('the committed log panels query what the pipeline ships and the app logs', () => {
    assert.deepEqual(result.findings, []);
    assert.ok(result.targets.length >= 1);
    assert.ok(result.shippedLabels.includes('job'));
    assert.deepEqual(result.composeJobs, ['api']);
    assert.ok(result.logs.lines > 3, `log lines: ${result.logs.lines}`);
    assert.deepEqual(result.logs.fields.level, ['number']);
    assert.ok(result.logs.levels.includes(30));
  });

  it('a log panel on a label nobody ships, or a field the logs do not have, is named', async () => {
    const shipped = promtailLabels(await readFile(join(ROOT, 'infra/promtail/config.yml'), 'utf8'));
    const broken = { ...panels.find((p) => p.datasource === 'loki')!, expr: '{app=~"$job"} | json | severity >= 50' };
    const { findings } = checkLokiTargets([broken], shipped, result.logs, result.composeJobs);
    assert.deepEqual(
      findings.map((f) => f.message.split(' (')[0]),
      [
        'stream selector label "app" is not attached by the shipping pipeline',
        'label filter on "severity": not a shipped label nor a JSON field of the app\'s logs',
      ],
    );
    assert.match(findings[0]!.object, /dashboard api-overview \/ panel \d+ "Error logs" \/ target A/);
  });
});
