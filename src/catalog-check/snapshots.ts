// Committed exposition snapshots: what each service the catalog describes really exposes, recorded
// with `make catalog-snapshot` (the reference app) or `make catalog-check METRICS_URL=...
// WRITE=catalog/snapshots/<job>.prom` (a real backend). Verify checks the
// catalog against them offline, so a metric renamed in the catalog (and so in every query and in the
// reference app) fails while the real service still emits the old name, before a dashboard goes empty.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalog, exposedByTarget, type Metric } from '../catalog/index.js';
import { SCRAPE_JOBS } from '../synth/prometheus-config.js';
import type { Finding } from '../kernel/findings.js';
import { ANY_VALUE, checkExposition, RUNTIME_PREFIXES, SPECIAL_LABELS } from './conformance.js';

export { ANY_VALUE };
import { parseExposition } from './exposition.js';

export const SNAPSHOT_DIR = 'catalog/snapshots';

/** The services the catalog describes: every scrape job but Prometheus' own. */
export const SNAPSHOT_SERVICES = Object.keys(SCRAPE_JOBS).filter((job) => job !== 'prometheus');

export const snapshotPath = (service: string) => `${SNAPSHOT_DIR}/${service}.prom`;

// The reference app emits the catalog by construction, so `make catalog-snapshot` records it with no
// traffic; a real backend is recorded from its /metrics.
const RECORD_HOW = (file: string) =>
  `make catalog-snapshot from the reference app, or make catalog-check METRICS_URL=<the service's /metrics> WRITE=${file}`;

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The catalog metric each exposed family name stands for (text format declares counters with `_total`, OpenMetrics without). */
function catalogFamilies(metrics: readonly Metric[]): Map<string, Metric> {
  const byName = new Map<string, Metric>();
  for (const m of metrics.filter(exposedByTarget)) {
    byName.set(m.name, m);
    if (m.type === 'counter' && m.name.endsWith('_total')) byName.set(m.name.slice(0, -'_total'.length), m);
  }
  return byName;
}

const hasOpenLabel = (m: Metric) =>
  Object.values<{ values?: readonly string[] }>(m.spec.labels).some((l) => l.values === undefined);

/**
 * A scrape as a reviewable snapshot that depends on the catalog and the service, never on traffic:
 * families and samples sorted, duplicates dropped, every value 0. A family whose catalog entry has an
 * open label (a `pattern`) is recorded as one series with every label `*` (its label names, type and
 * buckets, not the combinations traffic has produced); the others are recorded whole (the catalog
 * bounds them, and the service exposes them all from the start). Runtime defaults the catalog does not
 * list are left out: they come and go with garbage collections, and conformance ignores them.
 */
export function recordSnapshot(exposition: string, source: string, metrics: readonly Metric[] = catalog): string {
  const lines = [
    `# Exposition snapshot of ${source}, recorded by \`stressgate catalog-check --snapshot\`. Values are zeroed;`,
    `# a family with an open label (route, status) is one series with every label "${ANY_VALUE}" (docs/catalog-snapshots.md).`,
  ];
  const described = catalogFamilies(metrics);
  const families = [...parseExposition(exposition).values()]
    .filter((f) => described.has(f.name) || !RUNTIME_PREFIXES.some((p) => f.name.startsWith(p)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of families) {
    if (!f.samples.length) continue;
    const metric = described.get(f.name);
    const open = metric !== undefined && hasOpenLabel(metric);
    if (f.help) lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    const samples = new Set(
      f.samples.map((s) => {
        const labels = Object.entries(s.labels)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}="${escapeValue(open && !SPECIAL_LABELS.has(k) ? ANY_VALUE : v)}"`)
          .join(',');
        return `${s.name}${labels ? `{${labels}}` : ''} 0`;
      }),
    );
    lines.push(...[...samples].sort());
  }
  return `${lines.join('\n')}\n`;
}

/** The catalog against each service's committed snapshot; a missing snapshot is a finding (no evidence, no pass). */
export async function checkSnapshots(root: string, metrics: readonly Metric[] = catalog): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const service of SNAPSHOT_SERVICES) {
    const file = snapshotPath(service);
    const text = await readFile(join(root, file), 'utf8').catch(() => undefined);
    if (text === undefined) {
      findings.push({
        rule: 'catalog-snapshot',
        file,
        object: `service ${service}`,
        message:
          'is missing: nothing says what the real service exposes, so a metric renamed in the catalog alone would pass.',
        fix: `record it from the real service: ${RECORD_HOW(file)} (docs/catalog-snapshots.md)`,
      });
      continue;
    }
    for (const m of checkExposition(text, file, { metrics, anyValue: ANY_VALUE }).mismatches) {
      findings.push({
        ...m,
        fix: `${m.fix}; if the service itself changed, re-record the snapshot (${RECORD_HOW(file)}) and commit it with the catalog change`,
      });
    }
  }
  return findings;
}
