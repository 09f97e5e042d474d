// Proposed catalog entries for the families an exposition has and the catalog lacks, in the style of
// src/catalog/metrics.ts: type from # TYPE, unit from the name's suffix (Prometheus conventions), help
// from # HELP, label names and (bounded) values from the samples, buckets from the `le` values. What
// a scrape cannot say (the signal, a label's meaning, a unit outside the catalog's) is a TODO beside
// the entry and a note in the list the caller prints.
import { SIGNALS, type Signal } from '../catalog/index.js';
import type { ExpoFamily } from './exposition.js';
import { ANY_VALUE, RUNTIME_PREFIXES, SPECIAL_LABELS } from './conformance.js';

export interface Proposal {
  readonly name: string;
  readonly binding: string;
  readonly code: string;
  /** What could not be inferred from the exposition, one line each. */
  readonly notes: readonly string[];
}

export interface Proposals {
  readonly entries: readonly Proposal[];
  /** Families no catalog entry can describe (summaries, histograms without buckets), with why. */
  readonly skipped: readonly string[];
}

/** A label with more distinct values than this in one scrape is open: a pattern, not an enum. */
const MAX_ENUM_VALUES = 10;

function guessSignal(name: string): Signal | undefined {
  const table: Array<[RegExp, Signal]> = [
    [/^http_.*duration|latency/, 'http-latency'],
    [/^http_/, 'http-traffic'],
    [/^auth_/, 'auth'],
    [/^(db|pg|postgres)_/, 'db'],
    [/^redis_/, 'redis'],
    [/^readiness_/, 'readiness'],
    [/^ws_.*disconnect/, 'ws-disconnects'],
    [/^ws_.*(backpressure|drop)/, 'ws-backpressure'],
    [/^ws_.*active|connections/, 'ws-connections'],
    [/^ws_/, 'ws-throughput'],
    [/^chat_/, 'chat'],
    [/^notification/, 'notifications'],
    [/^game/, 'games'],
    [/^(process|nodejs|go|jvm|python)_/, 'process'],
  ];
  return table.find(([re]) => re.test(name))?.[1];
}

/** Prometheus base units the catalog has no BaseUnit for: the entry says `count` and a note says why. */
const OTHER_BASE_UNITS = ['celsius', 'meters', 'volts', 'amperes', 'joules', 'grams', 'percent'];

function unitOf(name: string): { unit: 'seconds' | 'bytes' | 'ratio' | 'count'; note?: string } {
  const base = name.replace(/_(total|count|sum|bucket|info)$/, '');
  if (/_seconds$/.test(base)) return { unit: 'seconds' };
  if (/_bytes$/.test(base)) return { unit: 'bytes' };
  if (/_ratio$/.test(base)) return { unit: 'ratio' };
  const other = OTHER_BASE_UNITS.find((u) => base.endsWith(`_${u}`));
  if (other)
    return { unit: 'count', note: `unit: the name says ${other}, which the catalog has no unit for (count written)` };
  return { unit: 'count' };
}

export const bindingName = (name: string) =>
  name
    .replace(/_(total|seconds|bytes)$/, '')
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/^[0-9]/, (d) => `m${d}`);

const isRuntime = (name: string) => RUNTIME_PREFIXES.some((p) => name.startsWith(p));

/** Names, units, label names and signals hold no quote: single-quoted, as metrics.ts writes them. */
const q = (s: string) => `'${s}'`;

/** Proposed entries for `families`; `taken` holds bindings already used (the catalog's own exports). */
export function proposeCatalogEntries(families: readonly ExpoFamily[], taken: Iterable<string> = []): Proposals {
  const used = new Set(taken);
  const entries: Proposal[] = [];
  const skipped: string[] = [];
  for (const fam of families) {
    if (fam.type === 'summary' || fam.type === 'gaugehistogram' || fam.type === 'stateset') {
      skipped.push(`${fam.name}: a ${fam.type}, which the catalog has no type for (expose a histogram instead)`);
      continue;
    }
    const type = fam.type === 'histogram' ? 'histogram' : fam.type === 'counter' ? 'counter' : 'gauge';
    const notes: string[] = [];
    if (type === 'gauge' && fam.type !== 'gauge')
      notes.push(`type: the exposition says ${fam.type}; gauge written, say counter if it only rises`);
    const name =
      type === 'counter' && !fam.name.endsWith('_total') && fam.samples.some((s) => s.name === `${fam.name}_total`)
        ? `${fam.name}_total`
        : fam.name;
    const buckets = [
      ...new Set(
        fam.samples
          .filter((s) => s.name === `${fam.name}_bucket` && s.labels.le !== undefined && s.labels.le !== '+Inf')
          .map((s) => Number(s.labels.le)),
      ),
    ].sort((a, b) => a - b);
    if (type === 'histogram' && buckets.length === 0) {
      skipped.push(`${fam.name}: a histogram without finite buckets in this scrape (a native histogram?)`);
      continue;
    }
    if (buckets.some((b) => !(b > 0))) {
      skipped.push(`${fam.name}: buckets at or below 0 (${buckets.join(', ')}), which the catalog cannot hold`);
      continue;
    }
    const labelNames = [
      ...new Set(fam.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => !SPECIAL_LABELS.has(l))),
    ].sort();
    const labels = labelNames.map((l) => {
      const values = [
        ...new Set(fam.samples.map((s) => s.labels[l]).filter((v): v is string => v !== undefined && v !== ANY_VALUE)),
      ].sort();
      // A snapshot records an open label's values as `*`: nothing to enumerate, so a pattern.
      const spec =
        values.length && values.length <= MAX_ENUM_VALUES
          ? `values: ${JSON.stringify(values)}`
          : `pattern: ${q(values.includes('') ? '^.*$' : '^.+$')}`;
      return `    ${l}: { ${spec}, help: 'TODO: what ${l} means' },`;
    });
    if (labelNames.length)
      notes.push(
        `labels ${labelNames.join(', ')}: what each means (help), and whether the values seen in this scrape are all there are`,
      );
    // The catalog wants a help of at least 10 characters that says what the metric measures.
    let help = fam.help || `TODO: what ${name} measures.`;
    if (!fam.help) notes.push('help: the exposition has no # HELP line');
    else if (help.length < 10) {
      help = `${help} TODO: say what it measures.`;
      notes.push(`help: "${fam.help}" is too short for the catalog`);
    }
    const { unit, note } = unitOf(name);
    if (note) notes.push(note);
    const signal = guessSignal(name);
    notes.push(signal ? `signals: ${signal} is a guess from the name` : 'signals: nothing in the name says which');
    let binding = bindingName(name);
    for (let i = 2; used.has(binding); i++) binding = `${bindingName(name)}${i}`;
    used.add(binding);
    const generic = labelNames.length ? `<${labelNames.map((l) => q(l)).join(' | ')}>` : '';
    const code = [
      `export const ${binding} = ${type}${generic}({`,
      `  name: ${q(name)},`,
      `  help: ${JSON.stringify(help)},`,
      `  unit: ${q(unit)},`,
      labels.length ? `  labels: {\n${labels.join('\n')}\n  },` : '  labels: {},',
      ...(type === 'histogram' ? [`  buckets: [${buckets.join(', ')}],`] : []),
      `  signals: [${q(signal ?? SIGNALS[0])}], // TODO: check the signal`,
      ...(isRuntime(name) ? [`  origin: 'runtime',`] : []),
      '});',
    ].join('\n');
    entries.push({ name, binding, code, notes });
  }
  return { entries, skipped };
}

/** The entries alone, as `catalog-check --write` prints them. */
export const proposeEntries = (extra: readonly ExpoFamily[]): string =>
  proposeCatalogEntries(extra)
    .entries.map((e) => e.code)
    .join('\n\n');
