// Committed exposition snapshots: what each service the catalog describes really exposes, recorded
// with `make catalog-check METRICS_URL=... WRITE=catalog/snapshots/<job>.prom`. Verify checks the
// catalog against them offline, so a metric renamed in the catalog (and so in every query and in the
// reference app) fails while the real service still emits the old name, before a dashboard goes empty.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalog, type Metric } from '../catalog/index.js';
import { SCRAPE_JOBS } from '../synth/prometheus-config.js';
import type { Finding } from '../kernel/findings.js';
import { checkExposition } from './conformance.js';
import { parseExposition } from './exposition.js';

export const SNAPSHOT_DIR = 'catalog/snapshots';

/** The services the catalog describes: every scrape job but Prometheus' own. */
export const SNAPSHOT_SERVICES = Object.keys(SCRAPE_JOBS).filter((job) => job !== 'prometheus');

export const snapshotPath = (service: string) => `${SNAPSHOT_DIR}/${service}.prom`;

const RECORD_HOW = (file: string) => `make catalog-check METRICS_URL=<the service's /metrics> WRITE=${file}`;

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/**
 * A scrape as a reviewable snapshot: families and samples sorted, duplicates dropped, every value 0.
 * The snapshot records the shape (names, types, label names and values, buckets), not a moment's
 * numbers, so re-recording an unchanged service changes nothing.
 */
export function recordSnapshot(exposition: string, source: string): string {
  const lines = [
    `# Exposition snapshot of ${source}, recorded by \`stressgate catalog-check --snapshot\`. Values are zeroed.`,
  ];
  const families = [...parseExposition(exposition).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const f of families) {
    if (!f.samples.length) continue;
    if (f.help) lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    const samples = new Set(
      f.samples.map((s) => {
        const labels = Object.entries(s.labels)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}="${escapeValue(v)}"`)
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
    for (const m of checkExposition(text, file, { metrics }).mismatches) {
      findings.push({
        ...m,
        fix: `${m.fix}; if the service itself changed, re-record the snapshot (${RECORD_HOW(file)}) and commit it with the catalog change`,
      });
    }
  }
  return findings;
}
