// The SLOs as OpenSLO v1, the format sloth, Nobl9 and others read: per SLO its production objective
// (a ratio of the SLI's own events, `Occurrences` over a rolling period), the burn-rate policy as
// AlertPolicies, and the gate's own settings as `stressgate/` annotations, which the spec reserves
// for implementation data, so `stressgate import slos` rebuilds the very same SLO from the file.
import { stringify } from 'yaml';
import type { Construct } from '../constructs/construct.js';
import type { SliEvents } from '../constructs/rules.js';
import type { Slo } from '../constructs/slo.js';
import { Slo as SloConstruct } from '../constructs/slo.js';
import { formatNumber } from '../promql/expr.js';
import { APP_JOB } from '../platform.js';
import { BURN_RATE_POLICY, burnFactor, productionSlo, type BurnRatePolicy } from '../slos/burn-rate.js';
import { A } from './annotations.js';
import { API_VERSION, documentSchema, type OpenSloDocument } from './schema.js';

export const OPENSLO_FILE = 'infra/openslo/slos.yaml';
export const SERVICE_DESCRIPTION = `The platform API: the scrape job "${APP_JOB}" whose series every SLO reads (src/platform.ts).`;

/** `counter: true` queries select the raw counters; the consumer takes their increase over its windows. */
export const prometheusQuery = (selector: string) => ({
  metricSource: { type: 'Prometheus', spec: { query: `sum(${selector})` } },
});

const policyName = (p: BurnRatePolicy, period: string) => `budget-burn-${period}-${p.long}`;
/**
 * Notification targets by severity: Alertmanager routes on it (src/alerts/routing.ts: critical pages,
 * warning opens a ticket), as the spec suggests for consumers that generate Prometheus alerts.
 */
const receiverOf = (p: BurnRatePolicy) => ({
  name: `alertmanager-${p.severity}`,
  description: `Alertmanager, which routes severity=${p.severity} alerts (src/alerts/routing.ts): ${p.severity === 'critical' ? 'a page' : 'a ticket'}.`,
});

/** histogram_quantile(q, sum by (job, ..., le) (...)): the quantile and the extra grouping. */
function quantileOf(expr: string): { quantile: string; by: string[] } | undefined {
  const m = /^histogram_quantile\(([0-9.]+), sum by \(([^)]*)\)/.exec(expr);
  if (!m) return undefined;
  return { quantile: m[1]!, by: m[2]!.split(', ').filter((l) => l !== 'job' && l !== 'le') };
}

function indicatorSpec(events: SliEvents, threshold: number) {
  if (events.kind === 'ratio')
    return {
      ratioMetric: {
        counter: true,
        bad: prometheusQuery(String(events.errors)),
        total: prometheusQuery(String(events.total)),
      },
    };
  const { histogram, matchers } = events;
  return {
    ratioMetric: {
      counter: true,
      good: prometheusQuery(String(histogram.bucket.select({ ...matchers, le: formatNumber(threshold) }))),
      total: prometheusQuery(String(histogram.count.select(matchers))),
    },
  };
}

function annotations(slo: Slo): Record<string, string> {
  const { sli, props } = slo;
  const events = sli.events!;
  const out: Record<string, string> = {
    [A.record]: sli.record,
    [A.window]: slo.window,
    [A.threshold]: props.threshold.text,
    [A.alertFor]: props.alertFor,
    [A.load]: JSON.stringify(props.load),
  };
  if (events.kind === 'ratio') {
    out[A.examples] = JSON.stringify(events.examples);
    const fallback = events.total.seriesName;
    if (sli.traffic && String(sli.traffic) !== fallback) out[A.traffic] = String(sli.traffic);
  } else {
    const q = quantileOf(sli.expr.text);
    if (q) out[A.quantile] = q.quantile;
    if (q?.by.length) out[A.by] = q.by.join(',');
    out[A.examples] = JSON.stringify({
      example: events.example,
      ...(events.excluded ? { excluded: events.excluded } : {}),
    });
    if (sli.traffic && String(sli.traffic) !== events.histogram.count.seriesName) out[A.traffic] = String(sli.traffic);
  }
  if (props.minTraffic !== undefined) out[A.minTraffic] = formatNumber(props.minTraffic);
  return out;
}

function sloDocument(slo: Slo): OpenSloDocument | undefined {
  const production = productionSlo(slo);
  if (!production) return undefined;
  return {
    apiVersion: API_VERSION,
    kind: 'SLO',
    metadata: { name: slo.id, displayName: slo.props.title, annotations: annotations(slo) },
    spec: {
      description: slo.props.description,
      service: APP_JOB,
      indicator: { metadata: { name: slo.sli.id }, spec: indicatorSpec(slo.sli.events!, slo.threshold) },
      timeWindow: [{ duration: production.period, isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ target: production.objective }],
      alertPolicies: BURN_RATE_POLICY.map((p) => ({ alertPolicyRef: policyName(p, production.period) })),
    },
  } as OpenSloDocument;
}

function policyDocument(p: BurnRatePolicy, period: string): OpenSloDocument {
  const factor = burnFactor(p, period as `${number}d`);
  const name = policyName(p, period);
  return {
    apiVersion: API_VERSION,
    kind: 'AlertPolicy',
    metadata: {
      name,
      displayName: `${formatNumber(p.budgetShare * 100)}% of the ${period} budget in ${p.long}`,
      annotations: { [A.shortWindow]: p.short },
    },
    spec: {
      description: `Burn rate over ${p.long} and over ${p.short} both above ${factor}x (src/slos/burn-rate.ts); ${p.severity === 'critical' ? 'pages' : 'opens a ticket'}.`,
      alertWhenBreaching: true,
      alertWhenResolved: false,
      alertWhenNoData: false,
      conditions: [
        {
          kind: 'AlertCondition',
          metadata: { name },
          spec: {
            severity: p.severity,
            condition: { kind: 'burnrate', op: 'gt', threshold: factor, lookbackWindow: p.long, alertAfter: '0m' },
          },
        },
      ],
      notificationTargets: [{ targetRef: receiverOf(p).name }],
    },
  };
}

/** The documents for the SLOs in `root` (those with a production objective), checked against the v1 schema. */
export function openSloDocuments(root: Construct): OpenSloDocument[] {
  const slos = root
    .findAll(SloConstruct)
    .map(sloDocument)
    .filter((d): d is OpenSloDocument => d !== undefined);
  if (!slos.length) return [];
  const periods = [...new Set(slos.map((d) => (d.kind === 'SLO' ? d.spec.timeWindow![0]!.duration : '')))];
  const receivers = [...new Map(BURN_RATE_POLICY.map((p) => [p.severity, receiverOf(p)])).values()];
  const docs: OpenSloDocument[] = [
    {
      apiVersion: API_VERSION,
      kind: 'Service',
      metadata: { name: APP_JOB },
      spec: { description: SERVICE_DESCRIPTION },
    },
    ...receivers.map((r): OpenSloDocument => ({
      apiVersion: API_VERSION,
      kind: 'AlertNotificationTarget',
      metadata: { name: r.name },
      spec: { target: 'alertmanager', description: r.description },
    })),
    ...periods.flatMap((period) => BURN_RATE_POLICY.map((p) => policyDocument(p, period))),
    ...slos,
  ];
  for (const doc of docs) {
    const result = documentSchema.safeParse(doc);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new Error(
        `src/openslo: ${doc.kind} ${doc.metadata.name} field "${issue.path.join('.')}": ${issue.message}`,
      );
    }
  }
  return docs;
}

export const OPENSLO_HEADER =
  '# Generated by stressgate from src/slos/ (src/openslo/export.ts). Do not edit: change the definitions and run `make synth`.\n' +
  '# OpenSLO v1; `stressgate/` annotations carry the release gate settings (`stressgate import slos` reads them back).\n';

/** The documents as one multi-document YAML file, in a stable order. */
export function renderOpenSlo(root: Construct): string {
  const docs = openSloDocuments(root);
  if (!docs.length) return '';
  return (
    OPENSLO_HEADER + docs.map((d) => `---\n${stringify(d, { lineWidth: 0, indent: 2, indentSeq: true })}`).join('')
  );
}

/** synth's file set for the tree: infra/openslo/slos.yaml when the tree has SLOs with production objectives. */
export function renderOpenSloFiles(root: Construct): Map<string, string> {
  const text = renderOpenSlo(root);
  return text ? new Map([[OPENSLO_FILE, text]]) : new Map();
}
