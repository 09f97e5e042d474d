// Whether the evidence itself can be trusted: Prometheus evaluated its rules without failures during
// the run, and k6's own metrics reached Prometheus by remote write (no write failed, and this run's
// k6 series are there afterwards), so the release-gate dashboard's k6 panels show this run.
import { PromClient } from '../../kernel/prometheus-client.js';
import type { Failure, RemoteWriteEvidence } from './schema.js';

export async function ruleEvaluationFailures(
  prom: PromClient,
  end: Date,
  seconds: number,
): Promise<{ count: number | null; failures: Failure[] }> {
  const rows = await prom.query(`sum(increase(prometheus_rule_evaluation_failures_total[${seconds}s]))`, end);
  const v = rows[0] ? Number(rows[0].value[1]) : NaN;
  if (!Number.isFinite(v)) {
    return {
      count: null,
      failures: [
        {
          source: 'evidence',
          subject: 'prometheus_rule_evaluation_failures_total',
          reason:
            "Prometheus's own metrics are absent, so nobody can tell whether the gate rules evaluated: scrape Prometheus itself (the `prometheus` job of infra/prometheus/prometheus.yml)",
        },
      ],
    };
  }
  const count = Math.round(v);
  return {
    count,
    failures:
      count > 0
        ? [
            {
              source: 'evidence',
              subject: 'rule evaluation',
              reason: `${count} rule evaluation(s) failed during the run: gate alerts may not have been evaluated (see Prometheus /rules)`,
            },
          ]
        : [],
  };
}

/** Prometheus's query API behind a remote-write URL (…/api/v1/write). */
export const queryBaseOf = (remoteWriteUrl: string): string => remoteWriteUrl.replace(/\/api\/v1\/write\/?$/, '');

/** k6 series tagged with this run's testid (or `label`, e.g. k6-operator's testrun_name), asked of the Prometheus k6 wrote to. */
export async function remoteWriteEvidence(
  url: string,
  testid: string,
  writeErrors: readonly string[],
  at: Date,
  label = 'testid',
): Promise<{ evidence: RemoteWriteEvidence; failures: Failure[] }> {
  const failures: Failure[] = writeErrors.map((e) => ({ source: 'evidence', subject: 'k6 remote write', reason: e }));
  let series: number | null = null;
  try {
    const rows = await new PromClient(queryBaseOf(url)).query(
      `count({__name__=~"k6_.+", ${label}=${JSON.stringify(testid)}})`,
      at,
    );
    series = rows[0] ? Number(rows[0].value[1]) : 0;
  } catch (err) {
    failures.push({
      source: 'evidence',
      subject: 'k6 remote write',
      reason: `could not ask ${queryBaseOf(url)} for k6's series: ${(err as Error).message}`,
    });
  }
  if (series === 0)
    failures.push({
      source: 'evidence',
      subject: 'k6 remote write',
      reason: `no k6_* series with ${label}="${testid}" in Prometheus after the run: k6's metrics did not arrive (${url})`,
    });
  return { evidence: { url, errors: [...writeErrors], series }, failures };
}
