// The mutation pass takes half a minute: on a terminal it shows how far it is, one line on stderr
// redrawn in place; on CI or into a pipe it prints nothing (a log keeps every redraw).

export interface MutationProgress {
  /** Mutants judged so far (reused, or killed in an earlier round), of all. */
  readonly judged: number;
  readonly total: number;
  /** The round running (1-based) and the rounds there are. */
  readonly round: number;
  readonly rounds: number;
  /** promtool jobs of this round done, of the round's. */
  readonly jobsDone: number;
  readonly jobs: number;
}

export const formatProgress = (p: MutationProgress, elapsedMs: number): string =>
  `mutation: ${p.judged}/${p.total} mutants judged · round ${p.round}/${p.rounds}: ${p.jobsDone}/${p.jobs} promtool jobs · ${Math.floor(elapsedMs / 1000)} s`;

export interface ProgressReporter {
  update(p: MutationProgress): void;
  /** Erase the line (before other output, and at the end). */
  clear(): void;
  done(): void;
}

export interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const NONE: ProgressReporter = { update() {}, clear() {}, done() {} };

/** The one line being drawn, so that other output can erase it first (verify prints while it runs). */
let active: ProgressReporter = NONE;
export const clearProgress = () => active.clear();

/** A reporter that draws on `stream` when it is a terminal and CI is not set; a no-op otherwise. */
export function progressReporter(
  stream: Terminal = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = () => performance.now(),
): ProgressReporter {
  if (!stream.isTTY || (env.CI && env.CI !== 'false')) return NONE;
  const t0 = now();
  let last: MutationProgress | undefined;
  let shown = false;
  let drawn = -Infinity;
  const draw = () => {
    if (!last) return;
    drawn = now();
    stream.write(`\r${formatProgress(last, now() - t0)}\x1b[K`);
    shown = true;
  };
  // Redrawn every second too: the elapsed time moves while promtool is quiet.
  const timer = setInterval(draw, 1000);
  timer.unref();
  const reporter: ProgressReporter = {
    update(p) {
      last = p;
      // At most ten redraws a second: promtool reports every file.
      if (now() - drawn >= 100) draw();
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
    done() {
      clearInterval(timer);
      reporter.clear();
      if (active === reporter) active = NONE;
    },
  };
  active = reporter;
  return reporter;
}
