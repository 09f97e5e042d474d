// Generated blocks inside hand-written runbooks: synth owns the text between the markers of each
// section it has facts for, and nothing else in the file. A section without a block gets one right
// under its heading; a block in a section synth has no facts for is removed (the alert is gone).
import { sectionRanges } from '../kernel/markdown.js';
import { UsageError } from '../usage-error.js';

export const BLOCK_START = '<!-- generated: facts -->';
export const BLOCK_END = '<!-- end generated -->';
const NOTE = '<!-- synth writes this block from src/slos/ and src/alerts/: edit those and run `make synth` -->';

/** `text` with every section's facts block rendered from `blocks` (anchor → block body). */
export function fillBlocks(path: string, text: string, blocks: ReadonlyMap<string, string>): string {
  const lines = text.split('\n');
  const ranges = sectionRanges(lines);
  const marked = markers(path, lines);
  // Edits from the bottom up, so the line numbers of those above stay valid.
  const edits: { from: number; to: number; insert: string[] }[] = [];
  for (const [anchor, { heading, end }] of ranges) {
    // Only a block before the section's first sub-heading is the section's own.
    const inner = [...ranges.values()].find((r) => r.heading.line > heading.line && r.heading.line < end)?.heading.line;
    const own = marked.filter((m) => m.start > heading.line && m.start < (inner ?? end));
    const body = blocks.get(anchor);
    const block = body === undefined ? [] : [BLOCK_START, NOTE, '', ...body.split('\n'), '', BLOCK_END];
    if (own.length > 1)
      throw new UsageError(
        `${path}:${own[1]!.start + 1}: section #${anchor} has two generated blocks; keep one (synth rewrites it)`,
      );
    if (own[0]) edits.push({ from: own[0].start, to: own[0].end + 1, insert: block });
    else if (block.length) edits.push({ from: heading.bodyLine, to: heading.bodyLine, insert: ['', ...block] });
  }
  for (const e of edits.sort((a, b) => b.from - a.from)) lines.splice(e.from, e.to - e.from, ...e.insert);
  // A removed block leaves its blank line behind: no runs of blank lines.
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The start and end lines of every block; a start without its end (or an end alone) is an error naming the line. */
function markers(path: string, lines: readonly string[]): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let open: number | undefined;
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === BLOCK_START) {
      if (open !== undefined)
        throw new UsageError(
          `${path}:${open + 1}: "${BLOCK_START}" is not closed before the next one at line ${i + 1}; add "${BLOCK_END}"`,
        );
      open = i;
    } else if (t === BLOCK_END) {
      if (open === undefined)
        throw new UsageError(`${path}:${i + 1}: "${BLOCK_END}" without "${BLOCK_START}" before it; remove it`);
      found.push({ start: open, end: i });
      open = undefined;
    }
  });
  if (open !== undefined)
    throw new UsageError(`${path}:${open + 1}: "${BLOCK_START}" is never closed; add "${BLOCK_END}" after the block`);
  return found;
}
