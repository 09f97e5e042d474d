// How often Prometheus scrapes the target and evaluates rules, so the charts' windows fit the server
// the run used: given on the command line, else the one client's intervals() (the server's config,
// its target list, or Prometheus's defaults), the same answer the verdict sizes its window with.
import { parsePromDuration } from '../kernel/duration.js';
import { PromClient } from '../kernel/prometheus-client.js';
import { ReportInputError } from './inputs.js';
import type { ScrapeSettings } from './range.js';

/** The scrape interval of `job` and the evaluation interval; explicit values win. */
export async function scrapeSettings(
  prometheus: string,
  job: string,
  explicit: { scrape?: string; evaluation?: string } = {},
): Promise<ScrapeSettings> {
  const given = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const v = parsePromDuration(text);
    if (v === undefined || v <= 0)
      throw new ReportInputError(`--${name}: "${text}" is not a Prometheus duration such as 15s`);
    return v;
  };
  const scrape = given('scrape-interval', explicit.scrape);
  const evaluation = given('evaluation-interval', explicit.evaluation);
  if (scrape !== undefined && evaluation !== undefined)
    return { scrapeSeconds: scrape, evaluationSeconds: evaluation, source: 'given on the command line' };
  const server = await new PromClient(prometheus).intervals(job);
  return {
    scrapeSeconds: scrape ?? server.scrape,
    evaluationSeconds: evaluation ?? server.evaluation,
    source: server.source,
  };
}
