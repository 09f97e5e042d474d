// PromQL expressions built from typed references. A template interpolates selectors and metrics
// (rendered as series names) and remembers them, so constructs know which series an expression
// reads without re-parsing it.
import { Selector, type Selectable } from '../catalog/types.js';
import { parsePromDuration } from '../kernel/duration.js';

export class Expr {
  constructor(
    readonly text: string,
    readonly reads: readonly Selectable[],
  ) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolable = Expr | Selector | Selectable | number | string;

/** `promql\`sum(rate(${httpRequests.select({ status: re('5..') })}[5m]))\`` */
export function promql(strings: TemplateStringsArray, ...values: Interpolable[]): Expr {
  let text = strings[0]!;
  const reads: Selectable[] = [];
  values.forEach((value, i) => {
    if (value instanceof Expr) reads.push(...value.reads);
    else if (value instanceof Selector) reads.push(value.source);
    else if (typeof value === 'object') reads.push(value);
    text += renderValue(value) + strings[i + 1]!;
  });
  return new Expr(text, reads);
}

function renderValue(value: Interpolable): string {
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** Shortest exact decimal for a threshold, so 0.005 never renders as 0.005000000000000001. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

/** Prometheus durations as a checked literal type. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

export function durationSeconds(d: Duration): number {
  const seconds = parsePromDuration(d);
  if (seconds === undefined) throw new Error(`invalid duration "${d}": use e.g. 30s, 5m, 1h`);
  return seconds;
}
