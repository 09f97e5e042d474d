// prometheus.yml as the lint needs it: which rule files it loads, whether alerts reach an
// Alertmanager, and the scrape and evaluation intervals that range windows are measured against.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parsePromDuration } from '../kernel/duration.js';

export interface PrometheusConfig {
  /** Project-relative path of prometheus.yml. */
  readonly path: string;
  /** `rule_files` entries as written (relative to prometheus.yml's directory; may be globs). */
  readonly ruleFiles: readonly string[];
  /** Alertmanager entries that name at least one target (static or discovered). */
  readonly alertmanagers: number;
  /** Seconds between samples of a scraped series: the longest scrape interval of any job. */
  readonly scrapeInterval: number;
  /** Seconds between rule evaluations when a group sets no interval of its own. */
  readonly evaluationInterval: number;
  /** The jobs it scrapes. */
  readonly jobs: readonly string[];
}

// Prometheus' defaults when prometheus.yml leaves them out.
const DEFAULT_INTERVAL = '1m';

const scalar = z.union([z.string(), z.number()]).transform(String);
const configSchema = z.object({
  global: z.object({ scrape_interval: scalar.optional(), evaluation_interval: scalar.optional() }).nullish(),
  rule_files: z.array(scalar).nullish(),
  alerting: z.object({ alertmanagers: z.array(z.record(z.string(), z.unknown())).nullish() }).nullish(),
  scrape_configs: z.array(z.object({ job_name: scalar, scrape_interval: scalar.optional() })).nullish(),
});

/** An Alertmanager entry configures a destination when it lists static targets or any service discovery. */
function hasTargets(entry: Record<string, unknown>): boolean {
  const statics = (entry.static_configs ?? []) as { targets?: unknown[] }[];
  if (Array.isArray(statics) && statics.some((s) => Array.isArray(s?.targets) && s.targets.length > 0)) return true;
  return Object.entries(entry).some(([k, v]) => k.endsWith('_sd_configs') && Array.isArray(v) && v.length > 0);
}

function seconds(text: string | undefined, field: string): number {
  const s = parsePromDuration(text ?? DEFAULT_INTERVAL);
  if (s === undefined || s <= 0) throw new Error(`${field}: "${text}" is not a Prometheus duration`);
  return s;
}

export function parsePrometheusConfig(path: string, text: string): PrometheusConfig {
  const parsed = configSchema.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const doc = parsed.data;
  const scrape = seconds(doc.global?.scrape_interval, 'global.scrape_interval');
  const jobs = (doc.scrape_configs ?? []).map((j) =>
    j.scrape_interval ? seconds(j.scrape_interval, `scrape_configs ${j.job_name}.scrape_interval`) : scrape,
  );
  return {
    path,
    ruleFiles: doc.rule_files ?? [],
    alertmanagers: (doc.alerting?.alertmanagers ?? []).filter(hasTargets).length,
    scrapeInterval: Math.max(scrape, ...jobs),
    evaluationInterval: seconds(doc.global?.evaluation_interval, 'global.evaluation_interval'),
    jobs: (doc.scrape_configs ?? []).map((j) => j.job_name),
  };
}

/** Go's filepath.Match syntax (`*`, `?`, `[...]`), which rule_files globs use, as a RegExp. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, end)
          .replace(/^\^/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
