// Concrete label sets for an imported SLI's test series (ratioRule's `examples`, quantileRule's
// `example`): for every catalog label a value its matchers accept, drawn from the catalog's enum, the
// matcher itself or a few usual shapes, and checked against the catalog's pattern. A label nothing
// fits gets 'TODO' and a note, so the module still type-checks and says what to fill in.
import type { Metric } from '../catalog/index.js';
import type { LabelMatcher } from '../kernel/promql.js';

const COMMON = ['GET', '/api/x', '200', '500', '503', 'success', 'failure', 'error', 'ok', 'x', '0', '1'];

export const matches = (m: LabelMatcher, v: string): boolean => {
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === '=~' ? re.test(v) : !re.test(v);
};

/** Strings a regex matcher suggests: its first alternative with `.*`/`.+` as x and `.` as 0. */
function fromRegex(value: string): string[] {
  const first =
    value
      .replace(/^\^|\$$/g, '')
      .replace(/^\((.*)\)$/, '$1')
      .split('|')[0] ?? '';
  return [first.replace(/\.[*+]/g, 'x').replace(/\./g, '0'), first.replace(/\.[*+]/g, '').replace(/\./g, '0')];
}

function candidates(metric: Metric, label: string, matchers: readonly LabelMatcher[]): string[] {
  const spec = metric.spec.labels[label]!;
  const own = matchers.filter((m) => m.label === label);
  const base = [
    ...own.filter((m) => m.op === '=').map((m) => m.value),
    ...(spec.values ?? []),
    ...own.filter((m) => m.op === '=~').flatMap((m) => fromRegex(m.value)),
    ...COMMON,
  ];
  return [...new Set(base)].filter(
    (v) => (!spec.values || spec.values.includes(v)) && (!spec.pattern || new RegExp(spec.pattern).test(v)),
  );
}

export interface LabelSet {
  readonly labels: Record<string, string>;
  /** Labels no candidate value satisfied. */
  readonly unknown: readonly string[];
}

/**
 * A label set of `metric` matching `matchers`; with `unlike`, one that also fails at least one of
 * those (an ok event: counted by total, not by errors), changing as few labels as it can.
 */
export function labelSetFor(
  metric: Metric,
  matchers: readonly LabelMatcher[],
  unlike?: { readonly base: Record<string, string>; readonly matchers: readonly LabelMatcher[] },
): LabelSet {
  const labels: Record<string, string> = {};
  const unknown: string[] = [];
  const ok = (label: string, v: string) => matchers.filter((m) => m.label === label).every((m) => matches(m, v));
  for (const label of Object.keys(metric.spec.labels).sort()) {
    const v = unlike?.base[label] ?? candidates(metric, label, matchers).find((c) => ok(label, c));
    if (v === undefined || !ok(label, v)) unknown.push(label);
    labels[label] = v !== undefined && ok(label, v) ? v : 'TODO';
  }
  if (unlike) {
    const differing = [...new Set(unlike.matchers.map((m) => m.label))].filter((l) => l in metric.spec.labels);
    const flip = differing
      .map((label) => {
        const v = candidates(metric, label, [...matchers, ...unlike.matchers]).find(
          (c) => ok(label, c) && unlike.matchers.some((m) => m.label === label && !matches(m, c)),
        );
        return v === undefined ? undefined : ([label, v] as const);
      })
      .find((x) => x !== undefined);
    if (flip) labels[flip[0]] = flip[1];
    else unknown.push(...differing.filter((l) => !unknown.includes(l)));
  }
  return { labels, unknown };
}
