// Alertmanager's routing as typed data: receivers, a routing tree and inhibit rules, each with the
// reason it exists. Synth renders it to infra/alertmanager/alertmanager.yml (the reasons become
// comments); the tests run amtool and a real Alertmanager over every alert's labels.
import { z } from 'zod';
import type { Duration } from '../promql/expr.js';
import { Construct, onlyOnePerApp, type Problem } from './construct.js';
import { duration, positiveDuration, text } from './props.js';
import { Alert } from './rules.js';

/** Labels routing may look at: the alerts' own labels and the ones their expressions keep. */
export const ALERT_LABELS = [
  'alertname',
  'severity',
  'gate',
  'slo',
  'long',
  'short',
  'job',
  'instance',
  'dependency',
  'channel',
] as const;
export type AlertLabel = (typeof ALERT_LABELS)[number];

export interface LabelMatch {
  readonly label: AlertLabel;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export const eq = (label: AlertLabel, value: string): LabelMatch => ({ label, op: '=', value });
export const re = (label: AlertLabel, value: string): LabelMatch => ({ label, op: '=~', value });
/** `alertname` is one of these alerts (typed references, so a renamed alert renames its routes). */
export const alertIs = (...alerts: readonly Alert[]): LabelMatch =>
  alerts.length === 1 ? eq('alertname', alerts[0]!.name) : re('alertname', alerts.map((a) => a.name).join('|'));
/** The label is set (Alertmanager treats a missing label as empty). */
export const present = (label: AlertLabel): LabelMatch => re(label, '.+');

export interface Receiver {
  readonly name: string;
  /** Who or what it reaches, and what they are expected to do. */
  readonly description: string;
  /** Path on the alert relay (which holds the chat/paging credentials); none: the alert goes nowhere. */
  readonly webhook?: string;
}

export interface Route {
  /** Why these alerts go there. */
  readonly description: string;
  readonly matchers: readonly LabelMatch[];
  readonly receiver: Receiver;
  /** Keep matching the routes below (a gate alert reaches the release channel and on-call). */
  readonly continue?: boolean;
  readonly groupWait?: Duration;
  readonly groupInterval?: Duration;
  readonly repeatInterval?: Duration;
}

export interface InhibitRule {
  /** Why a firing source makes the target noise. */
  readonly description: string;
  readonly source: readonly LabelMatch[];
  readonly target: readonly LabelMatch[];
  /** Source and target must agree on these labels (an outage of one job says nothing of another). */
  readonly equal: readonly AlertLabel[];
}

export interface AlertRoutingProps {
  /** Base URL of the webhook relay the receivers post to. */
  readonly relay: string;
  /** Where an alert no route claims goes. */
  readonly defaultReceiver: Receiver;
  readonly groupBy: readonly AlertLabel[];
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
  readonly routes: readonly Route[];
  readonly inhibitRules: readonly InhibitRule[];
  /**
   * The alerts that are causes (a target or dependency down, the gate's own health): an alert matching
   * any of these is never the target of an inhibition. Every other alert is a symptom.
   */
  readonly causes: readonly LabelMatch[];
}

const alertLabel = z.enum(ALERT_LABELS, `route on the labels alerts carry: ${ALERT_LABELS.join(', ')}`);
const matcher = z
  .object({ label: alertLabel, op: z.enum(['=', '!=', '=~', '!~'], 'match with =, !=, =~ or !~'), value: z.string() })
  .refine((m) => !m.op.includes('~') || isRegex(m.value), {
    message: 'write a valid regular expression (RE2, anchored by Alertmanager)',
    path: ['value'],
  });
const reason = (what: string) => text(`say ${what}`, 10);
const receiver = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'name receivers in lower case with dashes'),
  description: reason('who or what it reaches and what they are expected to do'),
  webhook: z.string().startsWith('/', 'give the path on the alert relay, starting with /').optional(),
});
const schema = z.object({
  relay: z.url({ protocol: /^https?$/, error: "give the relay's http(s) base URL" }),
  defaultReceiver: receiver,
  groupBy: z.array(alertLabel).min(1, 'group by at least one label, e.g. alertname'),
  groupWait: duration,
  groupInterval: positiveDuration,
  repeatInterval: positiveDuration,
  routes: z
    .array(
      z.object({
        description: reason('why these alerts go there'),
        matchers: z.array(matcher).min(1, 'give the route at least one matcher'),
        receiver,
        continue: z.boolean().optional(),
        groupWait: duration.optional(),
        groupInterval: positiveDuration.optional(),
        repeatInterval: positiveDuration.optional(),
      }),
    )
    .min(1, 'give at least one route'),
  causes: z
    .array(matcher)
    .min(1, 'name the cause alerts (e.g. alertIs(targetDown, ...)): inhibitions are checked against them'),
  inhibitRules: z.array(
    z.object({
      description: reason('why a firing source makes the target noise'),
      source: z.array(matcher).min(1, 'give the source at least one matcher'),
      target: z.array(matcher).min(1, 'give the target at least one matcher'),
      equal: z
        .array(alertLabel)
        .min(
          1,
          'name the labels source and target must share: without them one alert anywhere silences every target everywhere',
        ),
    }),
  ),
});

function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

export const renderMatcher = (m: LabelMatch): string => `${m.label}${m.op}${JSON.stringify(m.value)}`;

/** Whether a label set satisfies every matcher, as Alertmanager decides it (regexes are anchored; a missing label is ""). */
export const matchesAll = (matchers: readonly LabelMatch[], labels: Readonly<Record<string, string>>): boolean =>
  matchers.every((m) => {
    const v = labels[m.label] ?? '';
    const hit = m.op === '=' || m.op === '!=' ? v === m.value : new RegExp(`^(?:${m.value})$`).test(v);
    return m.op === '=' || m.op === '=~' ? hit : !hit;
  });

/**
 * The labels an alert reaches Alertmanager with: its name, its own labels, and the labels its
 * expression keeps, as its promtool "fires" case asserts them.
 */
export function firingLabels(alert: Alert): Record<string, string> {
  return { alertname: alert.name, ...(alert.tests?.fires.labels ?? {}), ...alert.labels };
}

export class AlertRouting extends Construct {
  constructor(
    scope: Construct,
    id: string,
    readonly props: AlertRoutingProps,
  ) {
    super(scope, id);
    this.addPropsValidation(schema, props);
    this.addValidation(() => {
      const names = new Map<string, Receiver>();
      const problems: Problem[] = [];
      for (const r of this.receivers) {
        const other = names.get(r.name);
        if (other && other !== r)
          problems.push({
            field: 'receivers',
            reason: `two different receivers are named "${r.name}"`,
            fix: 'use one Receiver object for both routes, or rename one',
          });
        names.set(r.name, r);
      }
      return problems;
    });
    this.addValidation(() => this.checkInhibitions(this.root.findAll(Alert)));
    this.addValidation(onlyOnePerApp(this, AlertRouting, 'merge the routes into one AlertRouting'));
  }

  /** Every receiver the tree uses, default first, in order of first use. */
  get receivers(): Receiver[] {
    return [...new Set([this.props.defaultReceiver, ...this.props.routes.map((r) => r.receiver)])];
  }

  /**
   * An inhibit rule that no pair of alerts can satisfy is dead config that reads like protection:
   * each must have a source alert and a different target alert that carry every `equal` label.
   */
  checkInhibitions(alerts: readonly Alert[]): Problem[] {
    const labelled = alerts.map(firingLabels);
    return this.props.inhibitRules.flatMap((rule, i) => {
      const sources = labelled.filter((l) => matchesAll(rule.source, l));
      const targets = labelled.filter((l) => matchesAll(rule.target, l));
      const carries = (l: Record<string, string>) => rule.equal.every((e) => l[e] !== undefined);
      const applies = sources.some((s) => carries(s) && targets.some((t) => t !== s && carries(t)));
      const direction = this.directionProblem(rule, sources, targets);
      if (direction) return [{ field: `inhibitRules[${i}]`, ...direction }];
      if (!applies) {
        const what = !sources.length
          ? 'no alert matches its source'
          : !targets.length
            ? 'no alert matches its target'
            : `no source and target alert both carry ${rule.equal.join(', ')}`;
        return [
          {
            field: `inhibitRules[${i}]`,
            reason: `"${rule.description}" can never apply: ${what}`,
            fix: 'match alerts that exist and carry every equal label, or remove the rule',
          },
        ];
      }
      return [];
    });
  }

  /**
   * An inhibition silences symptoms with their cause, never the other way round: no target may be a
   * cause (props.causes), and a source that is not a cause must be an SLO alert silencing only its own
   * SLO (a page over a ticket: `equal` holds `slo`), whatever the matchers say.
   */
  directionProblem(
    rule: InhibitRule,
    sources: readonly Record<string, string>[],
    targets: readonly Record<string, string>[],
  ): Omit<Problem, 'field'> | undefined {
    const isCause = (l: Record<string, string>) => this.props.causes.some((m) => matchesAll([m], l));
    const cause = targets.find(isCause);
    if (cause)
      return {
        reason: `"${rule.description}" silences ${cause.alertname}, a cause: while it fires, people would hear only of its symptoms`,
        fix: 'make the cause the source and its symptoms the target (e.g. target present("slo"))',
      };
    const symptom = sources.find((l) => !isCause(l) && (l.slo === undefined || !rule.equal.includes('slo')));
    if (symptom)
      return {
        reason: `"${rule.description}" lets ${symptom.alertname}, a symptom, silence other alerts${symptom.slo === undefined ? '' : ' of other SLOs (equal lacks slo)'}`,
        fix: 'let only causes (props.causes) silence symptoms, or an SLO alert the alerts of its own SLO (equal: [slo, ...])',
      };
    return undefined;
  }

  /** The Alertmanager configuration as plain data, and the comment for each part that needs one. */
  render(): Record<string, unknown> {
    const p = this.props;
    const webhook = (r: Receiver) =>
      r.webhook ? { webhook_configs: [{ url: `${p.relay}${r.webhook}`, send_resolved: true }] } : {};
    return {
      route: {
        receiver: p.defaultReceiver.name,
        group_by: [...p.groupBy],
        group_wait: p.groupWait,
        group_interval: p.groupInterval,
        repeat_interval: p.repeatInterval,
        routes: p.routes.map((r) => ({
          matchers: r.matchers.map(renderMatcher),
          receiver: r.receiver.name,
          ...(r.continue ? { continue: true } : {}),
          ...(r.groupWait ? { group_wait: r.groupWait } : {}),
          ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
          ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
        })),
      },
      inhibit_rules: p.inhibitRules.map((r) => ({
        source_matchers: r.source.map(renderMatcher),
        target_matchers: r.target.map(renderMatcher),
        equal: [...r.equal],
      })),
      receivers: this.receivers.map((r) => ({ name: r.name, ...webhook(r) })),
    };
  }
}
