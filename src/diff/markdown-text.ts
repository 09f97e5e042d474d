// Markdown building blocks shared by the report's sections: code spans, escaped text, plurals.
import type { Change, KeyChange, RuleLocation } from './types.js';

/** An inline code span that survives backticks, pipes and newlines in the text. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text with Markdown's active characters escaped. */
export function text(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*[\]~|])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/^#/, '\\#');
}

export { plural } from '../kernel/words.js';
export const optCode = (v: string | undefined) => (v === undefined ? '(none)' : code(v));
export const arrow = (c: Change<string>) =>
  c.old === undefined
    ? `${code(c.new ?? '')} (added)`
    : c.new === undefined
      ? `${code(c.old)} removed`
      : `${code(c.old)} → ${code(c.new)}`;
export const where = (l: RuleLocation) => `${code(l.group)} in ${code(l.file)}`;
export function keyLine(what: string, c: KeyChange): string {
  if (c.old === undefined) return `${what} ${code(c.key)} added: ${code(c.new ?? '')}`;
  if (c.new === undefined) return `${what} ${code(c.key)} removed (was ${code(c.old)})`;
  return `${what} ${code(c.key)}: ${code(c.old)} → ${code(c.new)}`;
}
