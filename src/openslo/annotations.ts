// The release gate's settings on an OpenSLO SLO, which the spec has no field for: annotations under
// our own prefix, which the spec reserves for implementation data.
/** Annotation keys of the gate's settings, which OpenSLO has no field for. */
export const A = {
  record: 'stressgate/sli-record',
  window: 'stressgate/gate-window',
  threshold: 'stressgate/gate-threshold',
  alertFor: 'stressgate/alert-for',
  load: 'stressgate/load',
  examples: 'stressgate/examples',
  quantile: 'stressgate/quantile',
  by: 'stressgate/by',
  traffic: 'stressgate/traffic',
  minTraffic: 'stressgate/min-traffic',
  shortWindow: 'stressgate/short-window',
} as const;
