// Drill copies of the generated rule files. The committed alerts have production windows and hold
// times (rate over 5m/10m, `for: 1m`–`5m`); a drill cannot wait that long, so Prometheus loads a copy
// rewritten with the `yaml` package: every range selector `[d]` and every `for: d` divided by
// WINDOW_FACTOR and FOR_FACTOR (5m → 5s, 10m → 10s; for 2m → 2s, 5m → 5s, 1m → 2s with the 2 s floor).
// Expressions, thresholds, labels and rule names are untouched, so the drill exercises the committed logic.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parsePromDuration } from '../kernel/duration.js';
import { rangeWindows } from '../kernel/promql.js';

export const WINDOW_FACTOR = 60;
export const FOR_FACTOR = 60;
const MIN_WINDOW_S = 5;
const MIN_FOR_S = 2;

/** A Prometheus duration (a rule's `for:` or a range window) in seconds. */
function secondsOf(d: string): number {
  const s = parsePromDuration(d);
  if (s === undefined) throw new Error(`invalid Prometheus duration "${d}"`);
  return s;
}
const scaled = (seconds: number, factor: number, minS: number) => `${Math.max(minS, Math.round(seconds / factor))}s`;
export function scaleDuration(d: string, factor: number, minS: number): string {
  return scaled(secondsOf(d), factor, minS);
}

/** The expression with every range selector's window (and subquery step) scaled down, found in the syntax tree. */
export function scaleExpr(expr: string, factor = WINDOW_FACTOR): string {
  const edits = rangeWindows(expr).flatMap((w) => [
    ...(w.seconds !== undefined ? [{ node: w.node, text: scaled(w.seconds, factor, MIN_WINDOW_S) }] : []),
    ...(w.step?.seconds !== undefined ? [{ node: w.step.node, text: scaled(w.step.seconds, factor, 1) }] : []),
  ]);
  return edits
    .sort((x, y) => y.node.from - x.node.from)
    .reduce((out, e) => out.slice(0, e.node.from) + e.text + out.slice(e.node.to), expr);
}

/** Writes scaled copies of the rule files into `outDir`; returns their paths. */
export async function scaledRuleFiles(
  files: readonly string[],
  outDir: string,
  windowFactor = WINDOW_FACTOR,
  forFactor = FOR_FACTOR,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const out: string[] = [];
  for (const file of files) {
    const doc = parse(await readFile(file, 'utf8')) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const g of doc.groups) {
      for (const r of g.rules) {
        r.expr = scaleExpr(String(r.expr), windowFactor);
        if (typeof r.for === 'string') r.for = scaleDuration(r.for, forFactor, MIN_FOR_S);
      }
    }
    const target = join(outDir, basename(file));
    await writeFile(
      target,
      `# Drill copy of ${basename(file)}: windows / ${windowFactor}, for / ${forFactor} (src/drills/scaled-rules.ts). Not for production.\n${stringify(doc)}`,
    );
    out.push(target);
  }
  return out;
}
