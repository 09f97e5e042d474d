// A profile's thresholds resolve to the SLO definitions: the numbers come from src/slos/, and the
// copy a profile carries for reviewers must agree with them.
import { slos } from '../slos/index.js';
import type { Slo } from '../constructs/slo.js';
import type { Finding } from '../verify/findings.js';
import type { Profile } from './profile.js';
import type { SloLoadMap } from '../../load/lib/options.js';

export const sloById: ReadonlyMap<string, Slo> = new Map(Object.values(slos).map((s) => [s.id, s]));

/** Each SLO's load-run metric and k6 threshold expression, keyed by SLO id. */
export function sloLoadMap(): SloLoadMap {
  return Object.fromEntries([...sloById].map(([id, slo]) => [id, slo.loadThreshold]));
}

/** Verify step: each profile names existing SLOs and repeats their thresholds exactly. */
export function checkProfileThresholds(file: string, profile: Profile): Finding[] {
  return profile.thresholds.flatMap((t, i): Finding[] => {
    const slo = sloById.get(t.slo);
    const object = `profile ${profile.name} / thresholds[${i}]`;
    if (!slo) {
      return [{ rule: 'profile-slo', file, object, message: `names SLO "${t.slo}", which does not exist.`, fix: `use one of: ${[...sloById.keys()].join(', ')}` }];
    }
    if (t.max !== slo.threshold) {
      return [{
        rule: 'profile-slo',
        file,
        object,
        message: `says ${t.slo} max is ${t.max}, but the SLO in src/slos/ says ${slo.threshold}.`,
        fix: `set "max": ${slo.threshold} (thresholds come from the SLO; change the SLO to change the gate)`,
      }];
    }
    return [];
  });
}
