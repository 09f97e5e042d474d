// Where a definition was written: the first stack frame outside src/constructs/, so an error in a
// construct's props can name the user's file and line (`src/slos/index.ts:18`), not ours.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONSTRUCTS_DIR = import.meta.dirname + sep;
/** `at fn (file:///a/b.ts:18:3)` or `at /a/b.ts:18:3`: the location is the last `file:line:col`. */
const FRAME = /^\s*at (?:.*\()?((?:file:\/\/)?\/[^()]*?):(\d+):\d+\)?$/;
/** Deep enough for a construct built by a helper that is built by a helper. */
const FRAMES = 30;

/** `path:line` relative to the working directory (absolute when outside it), from a captured stack. */
export function siteOf(stack: string): string | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(CONSTRUCTS_DIR) || file.includes(`${sep}node_modules${sep}`)) continue;
    const rel = relative(process.cwd(), file);
    return `${rel.startsWith('..') || isAbsolute(rel) ? file : rel}:${m[2]}`;
  }
  return undefined;
}

/**
 * Captures the current stack and returns a function that reads the call site from it. V8 records
 * the frames at once but formats them (source maps included) only when `.stack` is read, so a tree
 * of thousands of constructs pays for the capture only, and the formatting only on an error.
 */
export function captureCallSite(): () => string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES;
  const holder = new Error();
  Error.stackTraceLimit = limit;
  let site: string | undefined | null = null;
  return () => (site === null ? (site = siteOf(holder.stack ?? '')) : site);
}

/** Where a value given to a construct was made (`ms(300)` on its own line), for helpers that note it. */
const valueSites = new WeakMap<object, () => string | undefined>();

/** Notes where `value` was made, so an error about the field holding it names that line. */
export function noteSite<T extends object>(value: T): T {
  valueSites.set(value, captureCallSite());
  return value;
}

/**
 * The line of the field `path` (`threshold.value`) in `props`: where the deepest value on the path was
 * made, when a helper noted it; undefined when none did (the construct's own line is then the answer).
 */
export function fieldSite(props: unknown, path: readonly PropertyKey[]): string | undefined {
  let site: string | undefined;
  let value = props;
  for (const key of path) {
    if (value === null || typeof value !== 'object') break;
    value = (value as Record<PropertyKey, unknown>)[key];
    if (value !== null && typeof value === 'object') site = valueSites.get(value)?.() ?? site;
  }
  return site;
}
