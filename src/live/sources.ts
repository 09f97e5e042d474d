// What the live check queries: the generated dashboards' Prometheus targets (template variables
// substituted the way Grafana would for "All"), the recording rules and the alerts, read from the
// generated files (so a broken copy of them can be checked too), and the metric names each reads.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { parseTree, selectorOf } from '../kernel/promql.js';

export interface PanelTarget {
  readonly file: string;
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  readonly panelId: number;
  readonly panelTitle: string;
  readonly refId: string;
  readonly datasource: 'prometheus' | 'loki' | string;
  /** As committed. */
  readonly expr: string;
  /** With template variables substituted (Prometheus targets). */
  readonly query: string;
}

export interface RuleDef {
  readonly file: string;
  readonly group: string;
  readonly kind: 'recording' | 'alert';
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
}

interface GrafanaVar {
  name: string;
  type?: string;
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[] };
}

export interface SubstituteOptions {
  /** What `$__rate_interval` / `$__interval` / `$__range` become, e.g. `30s` for 1 s scrapes. */
  readonly rateInterval: string;
}

/**
 * Substitutes Grafana's variables: `$__rate_interval` & co. by a window that fits the scrape interval,
 * a query variable with "All" by its `allValue` (default `.+`), any other variable by its current
 * value. `${var}`, `${var:regex}` and `$var` forms.
 */
export function substituteVariables(expr: string, vars: readonly GrafanaVar[], opts: SubstituteOptions): string {
  const value = (name: string): string | undefined => {
    if (/^__(rate_interval|interval|range)(_ms|_s)?$/.test(name)) return opts.rateInterval;
    const v = vars.find((x) => x.name === name);
    if (!v) return undefined;
    if (v.includeAll) return v.allValue ?? '.+';
    const cur = v.current?.value;
    return Array.isArray(cur) ? cur.join('|') : cur;
  };
  return expr
    .replace(/\$\{([A-Za-z_]\w*)(?::[^}]*)?\}/g, (m, n: string) => value(n) ?? m)
    .replace(/\$([A-Za-z_]\w*)/g, (m, n: string) => value(n) ?? m);
}

/** Every Prometheus and Loki target of every panel of the dashboards in `dir`. */
export async function loadPanelTargets(dir: string, root: string, opts: SubstituteOptions): Promise<PanelTarget[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: PanelTarget[] = [];
  for (const f of files) {
    const file = join(dir, f);
    const dash = JSON.parse(await readFile(file, 'utf8')) as {
      uid: string;
      title: string;
      templating?: { list?: GrafanaVar[] };
      panels?: Array<{
        id: number;
        title: string;
        type: string;
        datasource?: { type?: string };
        targets?: Array<{ refId?: string; expr?: string; datasource?: { type?: string } }>;
        panels?: unknown[];
      }>;
    };
    const vars = dash.templating?.list ?? [];
    const panels = (dash.panels ?? []).flatMap((p) => [p, ...((p.panels as typeof dash.panels) ?? [])]);
    for (const p of panels) {
      if (p.type === 'row') continue;
      for (const t of p.targets ?? []) {
        if (!t.expr) continue;
        const datasource = t.datasource?.type ?? p.datasource?.type ?? 'prometheus';
        out.push({
          file: relative(root, file),
          dashboardUid: dash.uid,
          dashboardTitle: dash.title,
          panelId: p.id,
          panelTitle: p.title,
          refId: t.refId ?? 'A',
          datasource,
          expr: t.expr,
          query: datasource === 'prometheus' ? substituteVariables(t.expr, vars, opts) : t.expr,
        });
      }
    }
  }
  return out;
}

/** The recording rules and alerts of Prometheus rule files. */
export async function loadRules(files: readonly string[], root: string): Promise<RuleDef[]> {
  const out: RuleDef[] = [];
  for (const file of files) {
    const doc = parse(await readFile(file, 'utf8')) as {
      groups?: Array<{ name: string; rules?: Array<Record<string, unknown>> }>;
    };
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        const labels = (r.labels as Record<string, string> | undefined) ?? {};
        const base = {
          file: relative(root, file),
          group: g.name,
          expr: String(r.expr),
          labels,
          ...(r.for ? { for: String(r.for) } : {}),
        };
        if (typeof r.record === 'string') out.push({ ...base, kind: 'recording', name: r.record });
        else if (typeof r.alert === 'string') out.push({ ...base, kind: 'alert', name: r.alert });
      }
    }
  }
  return out;
}

/** The series names a PromQL expression selects (after variable substitution), and its syntax error if any. */
export function selectedSeries(expr: string): { names: string[]; error?: string } {
  const tree = parseTree(expr);
  const names = new Set<string>();
  let error: string | undefined;
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.isError && error === undefined) error = `syntax error at character ${node.from + 1}`;
      if (node.name !== 'VectorSelector') return;
      // The metric, or the value a `__name__` matcher names (a regex too: it must name a real series).
      const { metric, nameMatcher } = selectorOf(node, expr);
      if (metric || nameMatcher) names.add(metric || nameMatcher!.value);
    },
  });
  return { names: [...names].sort(), ...(error ? { error } : {}) };
}
