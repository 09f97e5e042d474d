// "Did you mean" for fixes and for the CLI's mistyped commands and options: the candidate with the
// smallest edit distance.

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The closest candidate; ties go to the alphabetically first so the fix text is stable. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** The closest candidate near enough to be what was meant (at most a third of its letters off), if any. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const best = closest(name, candidates);
  return best !== undefined && editDistance(name, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const words = (metric: string) => new Set(metric.split('_').filter(Boolean));

/**
 * The catalog metric a stale name most likely became: metric names are compounds of words, and a
 * rename keeps most of them (auth_operations_total → auth_events_total), where plain edit distance
 * prefers any name of a similar length (k6_iterations_total). Most shared words first, then edit
 * distance, then alphabetical.
 */
export function closestMetric(name: string, candidates: Iterable<string>): string | undefined {
  const mine = words(name);
  const shared = (c: string) => [...words(c)].filter((w) => mine.has(w)).length;
  return [...candidates]
    .map((c) => ({ c, shared: shared(c), distance: editDistance(name, c) }))
    .sort((a, b) => b.shared - a.shared || a.distance - b.distance || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))[0]?.c;
}
