// The units a recorded value comes in, and how each reads to a person (Grafana unit, alert annotation).
import { humanize, humanizeDuration, humanizePercentage } from '../promql/template.js';
import type { GrafanaUnit } from './panel-options.js';

/** How a recorded value reads to a person: picks the Grafana unit and the annotation formatter. */
export type ValueUnit = 'ratio' | 'seconds' | 'count';

export const UNIT_FORMAT: Record<ValueUnit, { grafana: GrafanaUnit; template: string; format: (v: number) => string }> =
  {
    ratio: { grafana: 'percentunit', template: '{{ $value | humanizePercentage }}', format: humanizePercentage },
    seconds: { grafana: 's', template: '{{ $value | humanizeDuration }}', format: humanizeDuration },
    count: { grafana: 'short', template: '{{ $value | humanize }}', format: humanize },
  };
