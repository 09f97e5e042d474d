// `stressgate import dashboard FILE.json`: a Grafana dashboard's JSON to Dashboard/Row/Panel source.
// Queries are typed where the catalog knows their series; everything else of the JSON is kept in the
// constructs' `grafana` passthrough, so synth writes the dashboard back as it was (./canonical.ts).
import { UsageError } from '../usage-error.js';
import { exprImports, exprSource } from './promql-source.js';
import { headerComment, slug, tsString, tsValue, uniqueIds } from './ts-source.js';
import { summarise, type Untyped } from './untyped.js';
import { plural } from '../kernel/words.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const omit = (o: Json, keys: readonly string[]): Json =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

export interface ImportResult {
  /** TypeScript before formatting. */
  readonly source: string;
  readonly untyped: readonly string[];
  /** The dashboard's uid, or the rule file's id: what synth names the output by. */
  readonly name: string;
  readonly typed: number;
}

const GRAFANA_UID = /^[A-Za-z0-9_-]{1,40}$/;
const isLoki = (ds: unknown) => (isObject(ds) && ds.type === 'loki') || (typeof ds === 'string' && /loki/i.test(ds));

interface Context {
  readonly file: string;
  readonly untyped: Untyped[];
  readonly uses: Set<string>;
  typed: number;
}

/** A panel's `targets` as typed queries, or undefined when they stay JSON (a target without a text `expr`). */
function queries(ctx: Context, panel: Json, where: string): string[] | undefined {
  if (!Array.isArray(panel.targets) || !panel.targets.length) return undefined;
  const targets = panel.targets;
  if (!targets.every((t) => isObject(t) && typeof t.expr === 'string')) {
    ctx.untyped.push({ where, what: 'targets', reason: 'a target without a query text: kept as JSON' });
    return undefined;
  }
  return targets.map((t: Json, i) => {
    const ref = typeof t.refId === 'string' ? t.refId : `#${i + 1}`;
    const expr = t.expr as string;
    let code: string;
    if (isLoki(t.datasource) || isLoki(panel.datasource) || panel.type === 'logs') {
      code = tsString(expr);
      ctx.untyped.push({ where: `${where} query ${ref}`, what: 'LogQL', reason: 'kept as text (not PromQL)' });
    } else {
      const src = exprSource(expr, true);
      code = src.code;
      ctx.typed += src.typed;
      for (const u of src.uses) ctx.uses.add(u);
      for (const u of src.untyped) ctx.untyped.push({ ...u, where: `${where} query ${ref}` });
    }
    const rest = omit(t, ['expr', 'legendFormat']);
    const legend = typeof t.legendFormat === 'string' ? `, legend: ${tsString(t.legendFormat)}` : '';
    const kept = typeof t.legendFormat === 'string' || t.legendFormat === undefined ? rest : omit(t, ['expr']);
    return `{ expr: ${code}${legend}, grafana: ${tsValue(kept)} }`;
  });
}

function panelSource(ctx: Context, rowVar: string, id: string, panel: Json): string {
  const where = `panel "${typeof panel.title === 'string' ? panel.title : (panel.id ?? id)}"`;
  const q = queries(ctx, panel, where);
  const typedKeys = [
    ...(typeof panel.title === 'string' ? ['title'] : []),
    ...(typeof panel.description === 'string' ? ['description'] : []),
    ...(q ? ['targets'] : []),
  ];
  const props = [
    typeof panel.title === 'string' ? `title: ${tsString(panel.title)}` : '',
    typeof panel.description === 'string' ? `description: ${tsString(panel.description)}` : '',
    `queries: [${(q ?? []).join(', ')}]`,
    `grafana: ${tsValue(omit(panel, typedKeys))}`,
  ].filter(Boolean);
  return `new Panel(${rowVar}, ${tsString(id)}, { ${props.join(', ')} });`;
}

/** Grafana JSON (text) to construct source. `imports` maps a src/ module to its import path. */
export function importDashboard(text: string, file: string, imports: (module: string) => string): ImportResult {
  let model: unknown;
  try {
    model = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not JSON: ${(err as Error).message}`);
  }
  if (!isObject(model)) throw new UsageError(`${file}: a dashboard is a JSON object`);
  if (isObject(model.dashboard) && !('panels' in model))
    throw new UsageError(`${file}: this is a Grafana API response; import its "dashboard" field (jq .dashboard)`);
  if (typeof model.title !== 'string') throw new UsageError(`${file}: field "title": give the dashboard a title`);
  if (model.panels !== undefined && !Array.isArray(model.panels))
    throw new UsageError(`${file}: field "panels": must be a list of panels`);
  const ctx: Context = { file, untyped: [], uses: new Set(), typed: 0 };
  const hasUid = typeof model.uid === 'string';
  if (hasUid && !GRAFANA_UID.test(model.uid as string))
    throw new UsageError(`${file}: field "uid": Grafana uids are letters, digits, - and _, 40 at most`);
  const uid = hasUid ? (model.uid as string) : slug(model.title) || 'imported';
  if (!hasUid) ctx.untyped.push({ where: 'dashboard', what: 'uid', reason: `none in the file: named "${uid}"` });
  const tags = Array.isArray(model.tags) && model.tags.every((t) => typeof t === 'string');
  const panels = (model.panels ?? []) as unknown[];
  const typedKeys = ['title', 'uid', ...(typeof model.description === 'string' ? ['description'] : [])];
  if (tags) typedKeys.push('tags');
  if (panels.length) typedKeys.push('panels');

  const body: string[] = [];
  const rowIds = uniqueIds();
  let row: { name: string; ids: (base: string) => string } | undefined;
  let rows = 0;
  const openRow = (props: string, base: string) => {
    const name = `row${++rows}`;
    body.push(`const ${name} = new Row(dashboard, ${tsString(rowIds(base))}, ${props});`);
    return { name, ids: uniqueIds() };
  };
  const addPanel = (target: { name: string; ids: (base: string) => string }, p: unknown, index: string) => {
    if (!isObject(p)) throw new UsageError(`${file}: field "${index}": a panel is a JSON object`);
    const base = typeof p.title === 'string' && slug(p.title) ? slug(p.title) : `panel-${String(p.id ?? index)}`;
    body.push(panelSource(ctx, target.name, target.ids(base), p));
  };
  panels.forEach((p, i) => {
    if (isObject(p) && p.type === 'row') {
      const nested = Array.isArray(p.panels) ? p.panels : [];
      const collapsed = p.collapsed === true;
      if (!collapsed && nested.length)
        ctx.untyped.push({
          where: `row "${p.title}"`,
          what: 'panels',
          reason: 'an open row holding panels: kept as JSON',
        });
      const keep = omit(p, ['type', 'title', 'collapsed', ...(collapsed ? ['panels'] : [])]);
      const props = [
        typeof p.title === 'string' ? `title: ${tsString(p.title)}` : '',
        typeof p.collapsed === 'boolean' ? `collapsed: ${p.collapsed}` : '',
        `grafana: ${tsValue(keep)}`,
      ].filter(Boolean);
      const r = openRow(`{ ${props.join(', ')} }`, slug(String(p.title ?? '')) || 'row');
      if (collapsed) nested.forEach((n, j) => addPanel(r, n, `panels[${i}].panels[${j}]`));
      // A panel after a collapsed row is not inside it: it starts a headerless group.
      row = collapsed ? undefined : r;
      return;
    }
    row ??= openRow('{ header: false }', 'top');
    addPanel(row, p, `panels[${i}]`);
  });

  const dashProps = [
    `title: ${tsString(model.title)}`,
    typeof model.description === 'string' ? `description: ${tsString(model.description)}` : '',
    tags ? `tags: ${tsValue(model.tags)}` : '',
    `grafana: ${tsValue(omit(model, typedKeys))}`,
  ].filter(Boolean);
  const untyped = summarise(ctx.untyped);
  const source = [
    headerComment([
      `Imported from ${file} by \`stressgate import dashboard\` (docs/import.md).`,
      `${plural(ctx.typed, 'selector')} typed from the catalog; the panels' other JSON is kept in \`grafana\`.`,
      ...(untyped.length ? ['', 'Not typed (raw PromQL or kept as given):', ...untyped.map((u) => `  - ${u}`)] : []),
    ]),
    `import { App } from '${imports('constructs/construct.js')}';`,
    `import { Dashboard, Panel, Row } from '${imports('constructs/dashboard.js')}';`,
    ...exprImports(ctx.uses, imports),
    '',
    `export const app = new App('imported');`,
    '',
    `export const dashboard = new Dashboard(app, ${tsString(uid)}, { ${dashProps.join(', ')} });`,
    '',
    ...body,
    '',
  ].join('\n');
  return { source, untyped, name: uid, typed: ctx.typed };
}
