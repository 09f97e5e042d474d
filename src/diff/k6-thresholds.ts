// k6 thresholds, base vs head. They are not written anywhere as data: the k6 script derives them at
// run time from the load profile and the SLOs (src/load-contract/thresholds.ts), so a changed bound
// shows in the ConfigMap only as `data main.js changed`. Here they are derived the same way on each
// side, from the data the generated files carry: the profiles (JSON keys of the k6 ConfigMap) and
// each SLO's gate threshold and load measure (the OpenSLO export). Each expression that changed is
// judged as a pass condition: a bound loosened or removed lets more runs pass (weaker).
import { profileSchema, type Profile } from '../load-contract/profile.js';
import { k6Thresholds, runScope, sloThresholds, type SloLoadMap } from '../load-contract/thresholds.js';
import type { ManifestSet } from './kubernetes.js';
import type { K6ThresholdChange } from './slo-types.js';
import { thresholdVerdict } from './thresholds.js';
import type { ComparisonOp, Verdict } from './types.js';
import { DiffInputError, isRecord } from './util.js';

/** `p(95)<300`: k6's threshold syntax, `aggregation operator number`. */
export interface K6Threshold {
  /** `p(95)`, `rate`, `count`, `avg`, `med`, `max`, `min`, `value`, `p(99.9)`. */
  readonly aggregation: string;
  readonly op: ComparisonOp;
  readonly value: number;
}

const K6_THRESHOLD =
  /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/i;

/** Parses one k6 threshold expression; undefined when it is not in k6's syntax. */
export function parseK6Threshold(expr: string): K6Threshold | undefined {
  const m = K6_THRESHOLD.exec(expr);
  if (!m) return undefined;
  const op = (m[2] === '===' ? '==' : m[2]) as ComparisonOp;
  return { aggregation: m[1]!.replace(/\s+/g, ''), op, value: Number(m[3]) };
}

const INVERT: Readonly<Record<Verdict, Verdict>> = { weaker: 'stricter', stricter: 'weaker', review: 'review' };

/**
 * A changed expression, judged as k6 reads it: the run passes while it holds, the opposite of an
 * alert's comparison (which fires while it holds), so the alert verdict inverted.
 */
export function k6Verdict(old: string, now: string): Verdict | undefined {
  const [a, b] = [parseK6Threshold(old), parseK6Threshold(now)];
  if (!a || !b || a.aggregation !== b.aggregation) return old === now ? undefined : 'review';
  const v = thresholdVerdict(a, b);
  return v && INVERT[v];
}

/** The load profiles among the JSON values of the manifests' ConfigMaps, by profile name. */
export function profilesOf(set: ManifestSet): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const [file, docs] of Object.entries(set)) {
    for (const doc of docs) {
      if (!isRecord(doc) || doc.kind !== 'ConfigMap' || !isRecord(doc.data)) continue;
      for (const [key, text] of Object.entries(doc.data)) {
        if (!key.endsWith('.json') || typeof text !== 'string') continue;
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          continue; // Not JSON: the ConfigMap diff reports the key as it is.
        }
        if (!isRecord(v) || !('scenarios' in v) || !('checks' in v)) continue;
        const parsed = profileSchema.safeParse(v);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new DiffInputError(
            `${file}: ConfigMap data "${key}": a load profile whose field "${issue.path.join('.')}" is invalid: ${issue.message}`,
          );
        }
        out.set(parsed.data.name, parsed.data);
      }
    }
  }
  return out;
}

interface Side {
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly slos: SloLoadMap;
}

/** Metric key → the SLO behind its threshold, when its bound is the SLO's own (not a profile's stricter one). */
function sloMetrics(profile: Profile, slos: SloLoadMap): Map<string, string> {
  const bounds = sloThresholds(profile, slos, runScope(profile, slos));
  return new Map(bounds.filter((t) => t.source === 'slo').map((t) => [t.metric, t.slo]));
}

/** One profile's changed expressions: paired per metric by aggregation, in order among equals. */
function profileChanges(a: Record<string, string[]>, b: Record<string, string[]>) {
  const out: { metric: string; old?: string; new?: string; verdict: Verdict }[] = [];
  for (const metric of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    const left = [...(b[metric] ?? [])];
    for (const old of a[metric] ?? []) {
      if (left.includes(old)) {
        left.splice(left.indexOf(old), 1);
        continue;
      }
      const agg = parseK6Threshold(old)?.aggregation;
      const i = left.findIndex((x) => !(a[metric] ?? []).includes(x) && parseK6Threshold(x)?.aggregation === agg);
      if (i < 0) out.push({ metric, old, verdict: 'weaker' });
      else out.push({ metric, old, new: left[i]!, verdict: k6Verdict(old, left.splice(i, 1)[0]!) ?? 'review' });
    }
    for (const added of left) out.push({ metric, new: added, verdict: 'stricter' });
  }
  return out;
}

/**
 * Every profile on both sides (a profile added or removed is the ConfigMap's news, not a threshold
 * change), its thresholds derived on each side, the changes merged across profiles. `followsSlo`:
 * SLOs whose gate threshold changed; a change of such an SLO's own bound is marked with it.
 */
export function diffK6Thresholds(base: Side, head: Side, followsSlo: ReadonlySet<string>): K6ThresholdChange[] {
  const merged = new Map<string, K6ThresholdChange & { profiles: string[] }>();
  for (const [name, a] of base.profiles) {
    const b = head.profiles.get(name);
    if (!b) continue;
    const [ta, tb] = [
      k6Thresholds(a, base.slos, runScope(a, base.slos)),
      k6Thresholds(b, head.slos, runScope(b, head.slos)),
    ];
    const [sa, sb] = [sloMetrics(a, base.slos), sloMetrics(b, head.slos)];
    for (const c of profileChanges(ta, tb)) {
      const slo = sa.get(c.metric) ?? sb.get(c.metric);
      const follows = slo !== undefined && followsSlo.has(slo) && sa.get(c.metric) === sb.get(c.metric);
      const key = JSON.stringify([c.metric, c.old, c.new]);
      const seen = merged.get(key);
      if (seen) seen.profiles.push(name);
      else merged.set(key, { ...c, profiles: [name], ...(follows ? { slo } : {}) });
    }
  }
  return [...merged.values()].map((c) => ({ ...c, profiles: [...c.profiles].sort() }));
}
