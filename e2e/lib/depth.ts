// Each journey runs at two depths: @smoke (the quick version, every PR and `make test`) and
// @preprod (nightly and pre-release: more rounds, so each budget is judged on more samples).
export interface Depth {
  readonly tag: '@smoke' | '@preprod';
  /** Repetitions of the journey's core exchange (comments, messages, games). */
  readonly rounds: number;
  readonly timeoutMs: number;
}

export const DEPTHS: readonly Depth[] = [
  { tag: '@smoke', rounds: 1, timeoutMs: 90_000 },
  { tag: '@preprod', rounds: 5, timeoutMs: 300_000 },
];
