// How often Prometheus scrapes the target and evaluates rules, read from the server itself
// (/api/v1/status/config, else the target list) so the charts' windows fit the server the run used.
import { parse } from 'yaml';
import { z } from 'zod';
import { ReportInputError } from './inputs.js';
import { parsePromDuration } from '../kernel/duration.js';
import type { ScrapeSettings } from './range.js';

/** Prometheus's own defaults when the config leaves them out. */
const DEFAULT_SECONDS = 60;

const statusConfig = z.object({ data: z.object({ yaml: z.string() }) });
const configDoc = z.looseObject({
  global: z.looseObject({ scrape_interval: z.string().optional(), evaluation_interval: z.string().optional() }).optional(),
  scrape_configs: z.array(z.looseObject({ job_name: z.string(), scrape_interval: z.string().optional() })).optional(),
});
const targetsDoc = z.object({
  data: z.object({ activeTargets: z.array(z.looseObject({ labels: z.record(z.string(), z.string()), scrapeInterval: z.string().optional() })) }),
});

async function getJson(base: string, path: string): Promise<unknown> {
  const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

const seconds = (text: string | undefined, fallback: number) => (text === undefined ? fallback : (parsePromDuration(text) ?? fallback));

/**
 * The scrape interval of `job` and the evaluation interval. Explicit values win; then the server's
 * config; then its target list; then Prometheus's 1m default (a wider window, never a blank chart).
 */
export async function scrapeSettings(prometheus: string, job: string, explicit: { scrape?: string; evaluation?: string } = {}): Promise<ScrapeSettings> {
  const given = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const v = parsePromDuration(text);
    if (v === undefined || v <= 0) throw new ReportInputError(`--${name}: "${text}" is not a Prometheus duration such as 15s`);
    return v;
  };
  const scrape = given('scrape-interval', explicit.scrape);
  const evaluation = given('evaluation-interval', explicit.evaluation);
  if (scrape !== undefined && evaluation !== undefined) return { scrapeSeconds: scrape, evaluationSeconds: evaluation, source: 'given on the command line' };
  try {
    const doc = configDoc.parse(parse(statusConfig.parse(await getJson(prometheus, '/api/v1/status/config')).data.yaml));
    const global = seconds(doc.global?.scrape_interval, DEFAULT_SECONDS);
    const jobScrape = seconds(doc.scrape_configs?.find((c) => c.job_name === job)?.scrape_interval, global);
    return {
      scrapeSeconds: scrape ?? jobScrape,
      evaluationSeconds: evaluation ?? seconds(doc.global?.evaluation_interval, DEFAULT_SECONDS),
      source: `${prometheus}/api/v1/status/config (job ${job})`,
    };
  } catch {
    // Hosted Prometheus-compatible servers often hide the config; their target list may still say.
  }
  try {
    const targets = targetsDoc.parse(await getJson(prometheus, '/api/v1/targets')).data.activeTargets;
    const t = targets.find((x) => x.labels.job === job && x.scrapeInterval);
    if (t) return { scrapeSeconds: scrape ?? seconds(t.scrapeInterval, DEFAULT_SECONDS), evaluationSeconds: evaluation ?? DEFAULT_SECONDS, source: `${prometheus}/api/v1/targets (job ${job})` };
  } catch {
    // fall through to the defaults
  }
  return { scrapeSeconds: scrape ?? DEFAULT_SECONDS, evaluationSeconds: evaluation ?? DEFAULT_SECONDS, source: 'Prometheus did not say: its 1m defaults assumed' };
}
