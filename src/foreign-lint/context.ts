// What the foreign-file lint reads: other teams' rule files (plain, or the groups of PrometheusRule
// manifests) as rules with their file and group, and the one setting that needs no catalog: the
// scrape interval (Prometheus's default, 1m, unless told).
import { readFile } from 'node:fs/promises';
import type { Finding, Severity } from '../kernel/findings.js';
import { parseYamlDocuments } from '../diff/index.js';
import { UsageError } from '../usage-error.js';

export interface ForeignRule {
  readonly file: string;
  readonly group: string;
  /** The group's `interval`, in seconds, when it sets one. */
  readonly groupInterval?: number;
  readonly kind: 'alert' | 'record';
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ForeignContext {
  readonly rules: readonly ForeignRule[];
  /** Seconds between two samples of a scraped series. */
  readonly scrapeInterval: number;
}

/** A finding without the check's id, which its check supplies (and its severity, unless the problem sets one). */
export type Problem = Omit<Finding, 'rule'>;

export interface ForeignCheck {
  /** pint's name for the check (`promql/regexp`), so a team that knows pint knows it. */
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly check: (ctx: ForeignContext) => readonly Problem[];
}

export const objectOf = (r: ForeignRule) => `${r.kind} ${r.name} (group ${r.group})`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
const strings = (v: unknown): Record<string, string> =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x) ?? ''])) : {};

function groupsOf(file: string, docs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const [i, doc] of docs.entries()) {
    if (doc === null || doc === undefined) continue;
    if (!isRecord(doc)) throw new UsageError(`${file}: document ${i + 1} is not a mapping`);
    if (doc.kind === 'PrometheusRule') {
      const spec = isRecord(doc.spec) ? doc.spec : {};
      if (!Array.isArray(spec.groups)) throw new UsageError(`${file}: PrometheusRule spec.groups is not a list`);
      out.push(...spec.groups);
    } else if (Array.isArray(doc.groups)) out.push(...doc.groups);
    else if (doc.kind === undefined)
      throw new UsageError(`${file}: not a rule file (no top-level "groups" list) nor a PrometheusRule manifest`);
  }
  return out;
}

/** The rules of `files` (rule files or manifests; other manifest kinds are skipped). */
export async function loadForeignRules(files: readonly string[], parseDuration: (s: string) => number | undefined) {
  const rules: ForeignRule[] = [];
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = parseYamlDocuments(await readFile(file, 'utf8'));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : `not valid YAML: ${e.message}`}`);
    }
    for (const [gi, g] of groupsOf(file, docs).entries()) {
      if (!isRecord(g)) throw new UsageError(`${file}: groups[${gi}] is not a mapping`);
      const group = text(g.name) ?? `#${gi + 1}`;
      const interval = text(g.interval);
      const groupInterval = interval === undefined ? undefined : parseDuration(interval);
      if (interval !== undefined && groupInterval === undefined)
        throw new UsageError(`${file}: group ${group}: interval "${interval}" is not a Prometheus duration`);
      for (const [ri, r] of (Array.isArray(g.rules) ? g.rules : []).entries()) {
        if (!isRecord(r) || (r.alert === undefined && r.record === undefined))
          throw new UsageError(`${file}: group ${group}, rules[${ri}] has neither "alert" nor "record"`);
        const forText = text(r.for);
        rules.push({
          file,
          group,
          ...(groupInterval !== undefined ? { groupInterval } : {}),
          kind: r.alert !== undefined ? 'alert' : 'record',
          name: text(r.alert ?? r.record) ?? '',
          expr: text(r.expr) ?? '',
          ...(forText !== undefined ? { for: forText } : {}),
          labels: strings(r.labels),
          annotations: strings(r.annotations),
        });
      }
    }
  }
  return rules;
}
