// The dashboards' part of the diff report (src/diff/types.ts).
import type { Change, FieldChange } from './change-types.js';

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PanelRef {
  readonly id?: number;
  readonly title: string;
  readonly type?: string;
}

export interface QueryChange {
  /** The query's refId (`#2` for the second target when it has none). */
  readonly refId: string;
  /** The query's expression (`expr`); absent when the query was added / removed. */
  readonly old?: string;
  readonly new?: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Other query fields that changed (legendFormat, datasource, ...). */
  readonly other: readonly FieldChange[];
}

/**
 * A threshold step whose value changed (`fieldConfig.defaults.thresholds.steps[index]`), judged by
 * the panel's colours: `looser` when the step moved the lenient way (green → red steps raised: the
 * panel turns red later), `stricter` the other way; no verdict when the colours do not say.
 */
export interface ThresholdStepChange {
  readonly index: number;
  readonly color?: string;
  readonly old?: number | null;
  readonly new?: number | null;
  readonly verdict?: 'looser' | 'stricter';
}

/** A panel on both sides; `id`, `title`, `type` are the working tree's. */
export interface PanelChange extends PanelRef {
  readonly retitled?: Change<string>;
  readonly idChanged?: Change<number>;
  readonly typeChanged?: Change<string>;
  readonly moved?: Change<GridPos>;
  readonly unit?: Change<string>;
  readonly description?: Change<string>;
  readonly queries: readonly QueryChange[];
  /** Threshold steps moved the looser or stricter way (they are also listed in `other`). */
  readonly thresholds?: readonly ThresholdStepChange[];
  /** Other panel fields that changed (options, fieldConfig thresholds, ...). */
  readonly other: readonly FieldChange[];
}

export interface DashboardRef {
  readonly uid: string;
  readonly title: string;
  readonly file: string;
  readonly panels: number;
}

/** A dashboard on both sides (same uid); `title` and `file` are the working tree's. */
export interface DashboardChange {
  readonly uid: string;
  readonly title: string;
  readonly file: string;
  /** Paired by file or title although its uid changed; a side without a uid has no `old`/`new`. */
  readonly uidChanged?: Change<string>;
  readonly retitled?: Change<string>;
  readonly moved?: Change<string>;
  readonly panelsAdded: readonly PanelRef[];
  readonly panelsRemoved: readonly PanelRef[];
  readonly panelsChanged: readonly PanelChange[];
  /** Dashboard-level fields that changed (templating, time, refresh, tags, ...; `id` and `version` are ignored). */
  readonly other: readonly FieldChange[];
}

export interface DashboardDiff {
  readonly added: readonly DashboardRef[];
  readonly removed: readonly DashboardRef[];
  readonly changed: readonly DashboardChange[];
}
