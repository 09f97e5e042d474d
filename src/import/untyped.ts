// What an import could not type, collected while the source is written: one entry per place, and
// the summary that heads the generated file and is printed after the import.

export interface Untyped {
  /** Where: `panel "CPU" query A`, `alert NodeDown`. */
  readonly where: string;
  /** The series (or the expression part) that stays raw. */
  readonly what: string;
  /** Why it is not typed. */
  readonly reason: string;
}

const MAX_PLACES = 3;

/** One line per (what, reason), with the first few places it occurs. */
export function summarise(items: readonly Untyped[]): string[] {
  const groups = new Map<string, { what: string; reason: string; where: string[] }>();
  for (const u of items) {
    const key = `${u.what}\u0000${u.reason}`;
    const g = groups.get(key) ?? groups.set(key, { what: u.what, reason: u.reason, where: [] }).get(key)!;
    if (!g.where.includes(u.where)) g.where.push(u.where);
  }
  return [...groups.values()]
    .sort((a, b) => (a.what < b.what ? -1 : a.what > b.what ? 1 : 0))
    .map((g) => {
      const places = g.where.slice(0, MAX_PLACES).join(', ');
      const more = g.where.length > MAX_PLACES ? ` and ${g.where.length - MAX_PLACES} more` : '';
      return `${g.what}: ${g.reason} (${places}${more})`;
    });
}
