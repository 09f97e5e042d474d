// The SLOs as a load run sees them: each one's client-side measure and objective, taken from
// src/slos/ (the one source), injected into the k6 bundle and read by the verdict. Profiles only
// name SLO ids for their own stricter bounds; the verify step checks those names.
import { slos } from './index.js';
import type { Slo } from '../constructs/slo.js';
import type { Finding } from '../kernel/findings.js';
import type { Profile } from '../load-contract/profile.js';
import type { SloLoadMap } from '../load-contract/thresholds.js';

export const sloById: ReadonlyMap<string, Slo> = new Map(Object.values(slos).map((s) => [s.id, s]));

/** Each SLO's load-run metric, statistic and objective, keyed by SLO id, in definition order. */
export function sloLoadMap(): SloLoadMap {
  return Object.fromEntries(
    [...sloById].map(([id, slo]) => {
      const { metric, stat, scale = 1 } = slo.props.load;
      return [id, { title: slo.props.title, metric, stat, threshold: slo.threshold, scale }];
    }),
  );
}

/**
 * Verify step: a profile's `stricter` bounds name existing SLOs. A bound that is not tighter than
 * its SLO is not a finding: the run applies the tighter of the two, so tightening an SLO below a
 * profile's bound needs no edit of the profile.
 */
export function checkProfileSlos(file: string, profile: Profile): Finding[] {
  return (profile.stricter ?? []).flatMap((t, i): Finding[] =>
    sloById.has(t.slo)
      ? []
      : [
          {
            rule: 'profile-slo',
            file,
            object: `profile ${profile.name} / stricter[${i}]`,
            message: `names SLO "${t.slo}", which does not exist.`,
            fix: `use one of: ${[...sloById.keys()].join(', ')}`,
          },
        ],
  );
}
