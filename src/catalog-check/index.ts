// Catalog conformance against any service: scrape its /metrics and compare with the metric catalog.
// Reports catalog metrics the service does not expose, metrics it exposes that the catalog lacks, and
// type, label, label-value and bucket mismatches. This is how a metric rename in the backend is caught
// before the dashboards go empty. `--write` prints proposed catalog entries for the extra metrics.
//
// What counts as "extra": every family not in the catalog, except runtime defaults of client libraries
// (process_*, nodejs_*, go_*, promhttp_*, python_*, jvm_*) that the catalog doesn't list, which are
// reported as ignored; `--strict` makes them extra too. Catalog metrics of origin `prometheus` (`up`,
// `ALERTS`) and `k6` (remote-written by the load generator) are never on a service's /metrics.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatFinding, type FindingFormat } from '../kernel/findings.js';
import { parseCommand } from '../command.js';
import { CATALOG_CHECK_COMMAND } from './command.js';
import { checkExposition, SPECIAL_LABELS } from './conformance.js';
import { proposeEntries } from './proposals.js';
import { recordReferenceApp, REFERENCE_APP_SOURCE } from './reference-app-snapshot.js';
import { ANY_VALUE, recordSnapshot } from './snapshots.js';

export { parseExposition } from './exposition.js';
export {
  ANY_VALUE,
  checkExposition,
  RUNTIME_PREFIXES,
  type CatalogCheckResult,
  type Mismatch,
  type MismatchKind,
} from './conformance.js';
export { proposeCatalogEntries, proposeEntries, type Proposal, type Proposals } from './proposals.js';

/** Where a CLI entry point writes (tests pass their own). */
export { stdio, type Io } from '../command.js';
import { stdio, type Io } from '../command.js';

export class ScrapeError extends Error {}

export async function scrape(url: string, timeoutMs = 10_000): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain;version=0.0.4' } });
  } catch (err) {
    throw new ScrapeError(
      `cannot scrape ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
  if (!res.ok) throw new ScrapeError(`cannot scrape ${url}: HTTP ${res.status}`);
  return res.text();
}

/** CLI entry point (`make catalog-check METRICS_URL=...`). */
export async function runCatalogCheck(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(CATALOG_CHECK_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const url = values['metrics-url'];
  if (values['reference-app'] ? url : !url || !/^https?:\/\//.test(url)) {
    io.err(
      `stressgate catalog-check: ${values['reference-app'] ? 'give --metrics-url or --reference-app, not both' : '--metrics-url http(s)://host:port/metrics (or --reference-app) is required'}; see 'stressgate catalog-check --help'\n`,
    );
    return 2;
  }
  let text: string;
  let snapshot: string;
  try {
    if (values['reference-app']) {
      snapshot = await recordReferenceApp();
      text = snapshot;
    } else {
      text = await scrape(url!);
      const { host, pathname } = new URL(url!);
      snapshot = recordSnapshot(text, `${host}${pathname}`);
    }
  } catch (err) {
    io.err(`catalog-check: ${(err as Error).message}\n`);
    return 2;
  }
  const source = url ?? REFERENCE_APP_SOURCE;
  if (values.snapshot) {
    // Recorded whatever the catalog says: the snapshot is the service's truth, and verify then
    // reports where the catalog disagrees with it.
    const target = resolve(values.snapshot);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.tmp-${process.pid}`, snapshot);
    await rename(`${target}.tmp-${process.pid}`, target);
    io.out(`catalog-check: wrote ${values.snapshot}\n`);
  }
  // The reference app is checked in its recorded form (open labels as `*`), as verify checks it.
  const result = checkExposition(text, source, {
    strict: values.strict,
    anyValue: values['reference-app'] ? ANY_VALUE : undefined,
  });
  if (values.format === 'json') {
    io.out(
      `${JSON.stringify({ ...result, extra: result.extra.map((f) => ({ name: f.name, type: f.type })) }, null, 2)}\n`,
    );
  } else {
    for (const m of result.mismatches) io.out(`${formatFinding(m, values.format as FindingFormat)}\n`);
    io.out(
      `catalog-check: ${result.mismatches.length ? `${result.mismatches.length} mismatch(es)` : 'conforms'}: ${result.conforming.length}/${result.checked} catalog metrics conform` +
        `${result.ignored.length ? `; ${result.ignored.length} runtime default families ignored` : ''} (${source})\n`,
    );
  }
  if (values.write && result.extra.length)
    io.out(`\n// Proposed entries for src/catalog/metrics.ts:\n${proposeEntries(result.extra)}\n`);
  return result.mismatches.length ? 1 : 0;
}
