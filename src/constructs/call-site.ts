// Where a definition was written: the first stack frame outside src/constructs/, so an error in a
// construct's props can name the user's file and line (`src/slos/index.ts:18`), not ours.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONSTRUCTS_DIR = import.meta.dirname + sep;
/** `at fn (file:///a/b.ts:18:3)` or `at /a/b.ts:18:3`: the location is the last `file:line:col`. */
const FRAME = /^\s*at (?:.*\()?((?:file:\/\/)?\/[^()]*?):(\d+):\d+\)?$/;
/** Deep enough for a construct built by a helper that is built by a helper. */
const FRAMES = 30;

/** `path:line` relative to the working directory (absolute when outside it), or undefined. */
export function callSite(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
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
