// Markdown headings and sections as GitHub renders their anchors: the lint reads runbook sections by
// the anchor an alert's runbook_url names, and synth writes generated blocks into the same sections.

/** GitHub's heading anchor: lower-case, drop all but letters, digits, spaces, `-`, `_`; spaces to `-`. */
export const headingSlug = (heading: string): string =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's anchor is made from its text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

export interface Heading {
  readonly anchor: string;
  readonly level: number;
  /** Line index of the heading (its text line, for setext headings). */
  readonly line: number;
  /** Line index after the heading's last line (the underline, for setext headings). */
  readonly bodyLine: number;
}

/** A markdown file's headings (ATX and setext), outside code fences, anchors de-duplicated like GitHub (`-1`, `-2`). */
export function headings(lines: readonly string[]): Heading[] {
  const found: Heading[] = [];
  const seen = new Map<string, number>();
  const add = (text: string, level: number, line: number, bodyLine: number) => {
    const slug = headingSlug(text);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.push({ anchor: n ? `${slug}-${n}` : slug, level, line, bodyLine });
  };
  let fence: string | undefined;
  let previous = '';
  lines.forEach((line, i) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f && (!fence || (f[0] === fence[0] && f.length >= fence.length))) {
      fence = fence ? undefined : f;
      previous = '';
      return;
    }
    if (fence) return;
    const atx = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    const setext = /^ {0,3}(=+|-+)\s*$/.exec(line);
    if (atx) add(atx[2] ?? '', atx[1]!.length, i, i + 1);
    else if (setext && previous.trim() && !/^\s*([-*+]|\d+\.)\s/.test(previous))
      add(previous, setext[1]![0] === '=' ? 1 : 2, i - 1, i + 1);
    previous = atx ? '' : line;
  });
  return found;
}

/** Line ranges of each heading's section by anchor: from the heading to the next heading of the same or a higher level. */
export function sectionRanges(lines: readonly string[]): Map<string, { heading: Heading; end: number }> {
  const all = headings(lines);
  return new Map(
    all.map((h, i) => [
      h.anchor,
      { heading: h, end: all.slice(i + 1).find((n) => n.level <= h.level)?.line ?? lines.length },
    ]),
  );
}
