// The window Prometheus judges: the run, padded so the counters' last scrape before the run and
// first after it fall inside (increase() needs both; gate alerts are read from the run's start), waited for until Prometheus has scraped the
// target and evaluated its rules after the run ended. Bounded: a Prometheus that never catches up is
// a failure of the evidence, not a reason to wait forever.
import type { PromClient } from '../../kernel/prometheus-client.js';
import type { Failure } from './schema.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function settledWindow(
  prom: PromClient,
  start: Date,
  end: Date,
  job = 'api',
): Promise<{ start: Date; end: Date; seconds: number; failures: Failure[] }> {
  const { scrape, evaluation } = await prom.intervals(job);
  const deadline = end.getTime() + (3 * Math.max(scrape, evaluation) + 10) * 1000;
  const failures: Failure[] = [];
  let scraped = 0;
  for (let i = 0; i < 1_000 && Date.now() < deadline; i++) {
    const rows = await prom.query(`max(timestamp(up{job=${JSON.stringify(job)}}))`).catch(() => []);
    scraped = Number(rows[0]?.value[1] ?? 0) * 1000;
    if (scraped > end.getTime()) break;
    await sleep(500);
  }
  if (scraped <= end.getTime())
    failures.push({
      source: 'evidence',
      subject: `job ${job}`,
      reason: `Prometheus did not scrape the target after the run ended (last scrape ${scraped ? new Date(scraped).toISOString() : 'never'})`,
    });
  // One rule evaluation after that scrape, so alerts and recording rules have seen the whole run.
  for (let i = 0; i < 1_000 && Date.now() < deadline; i++) {
    const groups = await prom.rules().catch(() => []);
    const evaluated = groups
      .flatMap((g) => g.rules)
      .map((r) => Date.parse(r.lastEvaluation ?? ''))
      .filter(Number.isFinite);
    // No rules loaded: nothing to wait for (the blind-SLI check fails such a run).
    if (!evaluated.length || Math.min(...evaluated) > scraped) break;
    await sleep(500);
  }
  // One scrape interval back holds the counters' last sample before the run; more would count the
  // tail of whatever ran before.
  const padded = new Date(start.getTime() - scrape * 1000);
  const now = new Date();
  return { start: padded, end: now, seconds: Math.ceil((now.getTime() - padded.getTime()) / 1000), failures };
}
