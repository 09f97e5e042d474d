// What the diff needs of each SLO, read from the OpenSLO export (infra/openslo/slos.yaml) on each
// side: it carries the production objective and period as data, and the release gate's settings in
// `stressgate/` annotations (src/openslo/annotations.ts). Read leniently: a field missing is absent,
// a field of the wrong type is an error naming file, SLO and field.
import { readQuantityText } from '../constructs/quantity.js';
import type { SloLoad, SloLoadMap } from '../load-contract/thresholds.js';
import { A } from '../openslo/annotations.js';
import { DiffInputError, isRecord } from './util.js';

export interface SloFacts {
  readonly name: string;
  readonly title?: string;
  /** `spec.objectives[].target`: the share of good events, 0.995 for 99.5%. */
  readonly targets: readonly number[];
  /** `spec.timeWindow[0].duration`, e.g. `30d`. */
  readonly period?: string;
  /** The gate threshold as written (`0.5%`, `300ms`) and in the SLO's unit (ratio, seconds). */
  readonly gateThreshold?: { readonly text: string; readonly value: number | undefined };
  /** The k6 metric and statistic measuring it in a load run. */
  readonly load?: Pick<SloLoad, 'metric' | 'stat' | 'scale'>;
}

function loadOf(where: string, text: string | undefined): SloFacts['load'] {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new DiffInputError(`${where}: annotation ${A.load} is not JSON: ${text}`);
  }
  if (!isRecord(v) || typeof v.metric !== 'string' || (v.stat !== 'rate' && v.stat !== 'p(95)'))
    throw new DiffInputError(`${where}: annotation ${A.load} needs "metric" and "stat" (rate or p(95)): ${text}`);
  const scale = v.scale === undefined ? 1 : v.scale;
  if (typeof scale !== 'number') throw new DiffInputError(`${where}: annotation ${A.load}: "scale" is not a number`);
  return { metric: v.metric, stat: v.stat, scale };
}

/** The SLO documents of an OpenSLO file (its parsed YAML documents), by name. */
export function readSloFacts(file: string, docs: readonly unknown[]): Map<string, SloFacts> {
  const out = new Map<string, SloFacts>();
  for (const doc of docs.flatMap((d) => (Array.isArray(d) ? d : [d]))) {
    if (!isRecord(doc) || doc.kind !== 'SLO') continue;
    const meta = isRecord(doc.metadata) ? doc.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : undefined;
    if (!name) throw new DiffInputError(`${file}: an SLO without metadata.name`);
    const where = `${file}: SLO ${name}`;
    const spec = isRecord(doc.spec) ? doc.spec : {};
    const objectives = Array.isArray(spec.objectives) ? spec.objectives : [];
    const targets = objectives.map((o, i) => {
      const t = isRecord(o) ? o.target : undefined;
      if (typeof t !== 'number' || !(t > 0 && t < 1))
        throw new DiffInputError(`${where}: field "spec.objectives.${i}.target" is not a number between 0 and 1`);
      return t;
    });
    const window = Array.isArray(spec.timeWindow) && isRecord(spec.timeWindow[0]) ? spec.timeWindow[0] : {};
    const ann = isRecord(meta.annotations) ? meta.annotations : {};
    const text = (k: string) => (typeof ann[k] === 'string' ? (ann[k] as string) : undefined);
    const threshold = text(A.threshold);
    const load = loadOf(where, text(A.load));
    out.set(name, {
      name,
      ...(typeof meta.displayName === 'string' ? { title: meta.displayName } : {}),
      targets,
      ...(typeof window.duration === 'string' ? { period: window.duration } : {}),
      ...(threshold !== undefined
        ? { gateThreshold: { text: threshold, value: readQuantityText(threshold)?.value } }
        : {}),
      ...(load ? { load } : {}),
    });
  }
  return out;
}

/** The SLOs as a load run sees them (src/load-contract/thresholds.ts), for those the file gives a gate threshold and a load measure. */
export function sloLoadMapOf(facts: ReadonlyMap<string, SloFacts>): SloLoadMap {
  const out: Record<string, SloLoad> = {};
  for (const f of facts.values()) {
    if (!f.load || f.gateThreshold?.value === undefined) continue;
    out[f.name] = { title: f.title ?? f.name, ...f.load, scale: f.load.scale ?? 1, threshold: f.gateThreshold.value };
  }
  return out;
}
