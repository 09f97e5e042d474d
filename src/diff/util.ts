// Small helpers shared by the rule and dashboard diffs.
import type { FieldChange, KeyChange } from './types.js';

/** Input that is not a rule file / dashboard the diff understands; exit code 2. */
export class DiffInputError extends Error {
  override readonly name = 'DiffInputError';
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Canonical JSON (sorted keys), for equality of parsed documents. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

export const deepEqual = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

/** A scalar as text: strings as they are, anything else as JSON. */
export function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : stableJson(v);
}

/** A string map (labels, annotations) from YAML: values as text. */
export function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    const text = asText(val);
    if (text !== undefined) out[k] = text;
  }
  return out;
}

/** Keys added, removed or changed between two string maps, sorted by key. */
export function diffMaps(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): KeyChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: KeyChange[] = [];
  for (const key of keys) {
    const old = a[key];
    const now = b[key];
    if (old === now) continue;
    out.push({ key, ...(old !== undefined ? { old } : {}), ...(now !== undefined ? { new: now } : {}) });
  }
  return out;
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * The leaves that differ between two JSON values, by dotted path (`options.legend.displayMode`,
 * `templating.list[0].query`), with the values when they are scalars; at most `limit` of them
 * (then a final `{ path: '…' }`).
 */
export function changedFields(a: unknown, b: unknown, prefix = '', limit = 8): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length > limit) return;
    if (deepEqual(x, y)) return;
    if (isRecord(x) && isRecord(y)) {
      for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort())
        walk(x[k], y[k], path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((v, i) => walk(v, y[i], `${path}[${i}]`));
      return;
    }
    out.push({ path: path || '(value)', ...(isScalar(x) ? { old: x } : {}), ...(isScalar(y) ? { new: y } : {}) });
  };
  walk(a, b, prefix);
  return out.length > limit ? [...out.slice(0, limit), { path: '…' }] : out;
}

/** Keeps only the keys not in `drop`. */
export function omit(v: Record<string, unknown>, drop: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !drop.includes(k)));
}

/**
 * Pairs two lists by rules tried in order, each pairing what it can one-to-one before the next: the
 * rest stays removed (only in `base`) or added (only in `head`). A rule sees what is still unpaired,
 * so it can ask for a match that is unique among those.
 */
export function pairBy<T>(
  base: readonly T[],
  head: readonly T[],
  rules: readonly ((a: T, b: T, left: { readonly olds: readonly T[]; readonly news: readonly T[] }) => boolean)[],
): { pairs: [T, T][]; removed: T[]; added: T[] } {
  const olds = [...base];
  const news = [...head];
  const pairs: [T, T][] = [];
  for (const same of rules) {
    for (let i = 0; i < olds.length;) {
      const j = news.findIndex((n) => same(olds[i]!, n, { olds, news }));
      if (j < 0) {
        i++;
        continue;
      }
      pairs.push([olds[i]!, news[j]!]);
      olds.splice(i, 1);
      news.splice(j, 1);
    }
  }
  return { pairs, removed: olds, added: news };
}
