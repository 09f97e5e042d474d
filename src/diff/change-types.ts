// The smallest parts of the diff report (src/diff/types.ts): a value on both sides, a changed field, a changed key.

/**
 * A field that changed, by dotted path (`fieldConfig.defaults.thresholds.steps[1].value`). `old` /
 * `new` are given when that side is a scalar (string, number, boolean, null) and absent otherwise
 * (an object or list, or the field is missing on that side). A final `{ path: "…" }` means more
 * fields changed than are listed.
 */
export interface FieldChange {
  readonly path: string;
  readonly old?: string | number | boolean | null;
  readonly new?: string | number | boolean | null;
}

/** A value on both sides; `undefined` (omitted in JSON) means "absent on that side". */
export interface Change<T> {
  readonly old?: T;
  readonly new?: T;
}

/** One key of a string map (labels, annotations) that was added, removed or changed. */
export interface KeyChange {
  readonly key: string;
  /** Absent: the key was added. */
  readonly old?: string;
  /** Absent: the key was removed. */
  readonly new?: string;
}
