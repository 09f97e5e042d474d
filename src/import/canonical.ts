// The canonical form an import is proven against: what "synth reproduces the input" means. It
// normalises only what cannot change what Grafana shows or Prometheus evaluates (docs/import.md):
//   - object key order (JSON and YAML mappings compare as data; arrays keep their order);
//   - PromQL layout: panel-target and rule expressions compare as their lezer syntax trees, so
//     whitespace, line breaks, a string's quote style and an empty `{}` after a metric name are
//     equal; every token, operator, number and label value still counts;
//   - a dashboard without a uid: the import must give the file one (synth names it by its uid),
//     so uid is compared only when the input has one;
//   - a rule file's label and annotation values compare as strings (Prometheus reads `1` as "1");
//   - a PrometheusRule compares as the rule file of its spec.groups (the import writes a rule file).
import { parse as parseYaml } from 'yaml';
import { children, hasSyntaxError, parseTree, unquote, type SyntaxNode } from '../kernel/promql.js';
import { substituteWithOriginal } from '../lint/promql.js';
import { canonical } from '../synth/serialize.js';

/** PromQL as its syntax tree with the text of each leaf; text that does not parse compares with runs of whitespace as one. */
export function canonicalPromql(expr: string, grafana = false): string {
  const { text, original } = grafana
    ? substituteWithOriginal(expr)
    : { text: expr, original: (from: number, to: number) => expr.slice(from, to) };
  const tree = parseTree(text);
  if (hasSyntaxError(tree)) return `unparsed:${expr.trim().replace(/\s+/g, ' ')}`;
  const walk = (node: SyntaxNode): string => {
    const kids = children(node).filter((c) => !(c.name === 'LabelMatchers' && !c.firstChild));
    if (!kids.length) {
      const leaf = original(node.from, node.to);
      return `${node.name}:${node.name === 'StringLiteral' ? JSON.stringify(unquote(leaf)) : leaf}`;
    }
    return `${node.name}(${kids.map(walk).join(' ')})`;
  };
  return walk(tree.topNode);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isLoki = (ds: unknown): boolean =>
  (isObject(ds) && ds.type === 'loki') || (typeof ds === 'string' && /loki/i.test(ds));

function canonicalPanel(panel: unknown): unknown {
  if (!isObject(panel)) return panel;
  const out: Json = { ...panel };
  const loki = isLoki(panel.datasource) || panel.type === 'logs';
  if (Array.isArray(panel.targets)) {
    out.targets = panel.targets.map((t) =>
      isObject(t) && typeof t.expr === 'string' && !loki && !isLoki(t.datasource)
        ? { ...t, expr: canonicalPromql(t.expr, true) }
        : t,
    );
  }
  if (Array.isArray(panel.panels)) out.panels = panel.panels.map(canonicalPanel);
  return out;
}

/** A Grafana dashboard's JSON in canonical form; `inputHasUid` false drops the uid (see above). */
export function canonicalDashboard(model: unknown, inputHasUid = true): unknown {
  if (!isObject(model)) return model;
  const out: Json = { ...model };
  if (!inputHasUid) delete out.uid;
  if (Array.isArray(model.panels)) out.panels = model.panels.map(canonicalPanel);
  return canonical(out);
}

const strings = (r: unknown) =>
  isObject(r) ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? v : String(v)])) : r;

/** A rule file (or PrometheusRule) document, parsed, in canonical form. */
export function canonicalRuleFile(doc: unknown): unknown {
  const file = isObject(doc) && doc.kind === 'PrometheusRule' && isObject(doc.spec) ? { groups: doc.spec.groups } : doc;
  if (!isObject(file) || !Array.isArray(file.groups)) return canonical(file);
  const groups = file.groups.map((g) => {
    if (!isObject(g) || !Array.isArray(g.rules)) return g;
    const rules = g.rules.map((r) => {
      if (!isObject(r)) return r;
      const out: Json = { ...r };
      if (r.expr !== undefined) out.expr = canonicalPromql(String(r.expr));
      if (r.labels !== undefined) out.labels = strings(r.labels);
      if (r.annotations !== undefined) out.annotations = strings(r.annotations);
      return out;
    });
    return { ...g, rules };
  });
  return canonical({ ...file, groups });
}

export const canonicalRuleText = (yamlText: string): unknown => canonicalRuleFile(parseYaml(yamlText));

/** The paths where two canonical values differ (at most `max`), for a test's message and the docs. */
export function differences(a: unknown, b: unknown, path = '', max = 10, out: string[] = []): string[] {
  if (out.length >= max) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path || '(root)'}: ${a.length} items vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, max, out);
    return out;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push(`${path}.${k}: ${k in a ? 'only in the input' : 'only in the output'}`);
      else differences(a[k], b[k], `${path}.${k}`, max, out);
    }
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b))
    out.push(`${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`);
  return out;
}
