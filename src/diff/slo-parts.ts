// The SLO and k6-threshold parts of a report, from what each side's generated files carry: the
// OpenSLO export (objectives, gate thresholds, load measures) and the k6 ConfigMap's profiles.
import { diffK6Thresholds, profilesOf } from './k6-thresholds.js';
import type { ManifestSet } from './kubernetes.js';
import { DIFF_OPENSLO_FILE } from './load.js';
import { readSloFacts, sloLoadMapOf } from './slo-facts.js';
import { diffSlos } from './slos.js';
import type { K6ThresholdChange, SloChange } from './slo-types.js';
import type { RuleDiff } from './types.js';

export interface SloSide {
  readonly kubernetes: ManifestSet;
  readonly openslo?: readonly unknown[];
  /** What to call the OpenSLO file in errors (`<commit>:infra/openslo/slos.yaml`). */
  readonly opensloName?: string;
}

export function diffSloParts(
  base: SloSide,
  head: SloSide,
  rules: RuleDiff,
): { slos: SloChange[]; k6Thresholds: K6ThresholdChange[] } {
  // Only with the export on both sides: on one side alone every SLO would read as added or removed.
  const both = base.openslo !== undefined && head.openslo !== undefined;
  const facts = (s: SloSide) =>
    both ? readSloFacts(s.opensloName ?? DIFF_OPENSLO_FILE, s.openslo!) : new Map<never, never>();
  const [a, b] = [facts(base), facts(head)];
  const slos = diffSlos(a, b, rules);
  const gateMoved = new Set(slos.filter((s) => s.gateThreshold).map((s) => s.name));
  const k6Thresholds = diffK6Thresholds(
    { profiles: profilesOf(base.kubernetes), slos: sloLoadMapOf(a) },
    { profiles: profilesOf(head.kubernetes), slos: sloLoadMapOf(b) },
    gateMoved,
  );
  return { slos, k6Thresholds };
}
