// Dashboards that read right at a glance: a health value (up, *_up) is red at 0 and says DOWN; a
// table queries in table format (else Grafana shows the first series only) and an alert table shows
// state, severity, since when and the runbook; the job variable starts on a real job, not All; the
// schemaVersion is the one the pinned Grafana writes; every dashboard links to the others.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { dashboardModel, modelPanels, type ModelDashboard, type ModelPanel } from '../dashboard-model.js';
import { dashboardName, panelName, PATHS, type DashboardFile } from '../project.js';

/** The dashboard model (schemaVersion) each Grafana release writes; add a release here when pinning it. */
export const GRAFANA_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { '12.3': 42 };

const SOURCE =
  'in its definition under src/dashboards/ (constructs in src/constructs/dashboard.ts) and run `make synth`';

/** 0/1 health gauges by Prometheus naming: `up`, `*_up`. */
const isHealthMetric = (family: string) => family === 'up' || family.endsWith('_up');

/** Every dashboard with its model, and every panel with the metric families its queries read. */
const dashboardsOf = (ctx: LintContext) => ctx.project.dashboards.map((d) => ({ d, m: dashboardModel(d.raw) }));
const panelsOf = (ctx: LintContext) =>
  dashboardsOf(ctx).flatMap(({ d, m }) =>
    modelPanels(m).map((p) => {
      const object = panelName(d, p);
      const metrics = ctx.exprs
        .filter((e) => e.file === d.path && e.object.startsWith(`${object} / target`))
        .flatMap((e) => e.parsed.selectors.map((s) => s.metric));
      const families = new Set(metrics.map((n) => ctx.series.get(n)?.metric.name ?? n));
      const at = (message: string, fix: string): Problem => ({ file: d.path, object, message, fix });
      return { p, families, at };
    }),
  );

export const healthPanel = rule({
  id: 'health-panel',
  severity: 'error',
  summary: 'a 0/1 health value (up, *_up) that is not red at 0, green at 1 and shown as DOWN/UP',
  check: (ctx) =>
    panelsOf(ctx)
      .filter(({ families }) => [...families].some(isHealthMetric))
      .flatMap(({ p, at }) =>
        healthProblems(p).map((msg) =>
          at(msg, `give the panel baseColor 'red', a green step at 1 and texts: UP_DOWN ${SOURCE}`),
        ),
      ),
});

export const tableFormat = rule({
  id: 'table-format',
  severity: 'error',
  summary: 'a table panel whose queries are not instant in table format (it shows one series)',
  check: (ctx) =>
    panelsOf(ctx)
      .filter(({ p }) => p.type === 'table')
      .flatMap(({ p, at }) =>
        tableProblems(p).map((msg) =>
          at(
            msg,
            `table panels query instant, in table format: the Panel construct does this for kind 'table' ${SOURCE}`,
          ),
        ),
      ),
});

export const alertTable = rule({
  id: 'alert-table',
  severity: 'error',
  summary: 'an alert table without state, severity, since when, or a runbook link',
  check: (ctx) =>
    panelsOf(ctx)
      .filter(({ p, families }) => p.type === 'table' && families.has('ALERTS'))
      .flatMap(({ p, families, at }) =>
        alertTableProblems(p, families).map((msg) =>
          at(
            msg,
            `declare the table's columns (state, severity, since from ALERTS_FOR_STATE, a runbook column with a link) ${SOURCE}`,
          ),
        ),
      ),
});

export const jobVariable = rule({
  id: 'job-variable',
  severity: 'error',
  summary: 'a job variable that defaults to All or to a job Prometheus does not scrape',
  check: (ctx) =>
    dashboardsOf(ctx).flatMap(({ d, m }) =>
      jobProblems(ctx, m).map((message) => ({
        file: d.path,
        object: dashboardName(d),
        message,
        fix: `give the Dashboard defaultJob: APP_JOB (src/platform.ts) ${SOURCE}`,
      })),
    ),
});

export const schemaVersion = rule({
  id: 'schema-version',
  severity: 'error',
  summary: 'a dashboard schemaVersion other than the one the pinned Grafana reads and writes',
  check: (ctx) =>
    dashboardsOf(ctx).flatMap(({ d, m }) => {
      const problem = schemaProblem(ctx, m);
      return problem ? [{ file: d.path, object: dashboardName(d), ...problem }] : [];
    }),
});

export const dashboardLinks = rule({
  id: 'dashboard-links',
  severity: 'error',
  summary: 'a dashboard with no link that reaches one of the others',
  check: (ctx) => {
    const models = dashboardsOf(ctx);
    return models.flatMap(({ d, m }) => {
      const unreachable = models.filter((o) => o.d !== d && !links(m, o.d, o.m)).map((o) => o.d.uid ?? o.d.path);
      return unreachable.length
        ? [
            {
              file: d.path,
              object: dashboardName(d),
              message: `links to no way to reach ${unreachable.join(', ')}.`,
              fix: `keep the Dashboard construct's dashboards link (tag stressgate) or add links to them ${SOURCE}`,
            },
          ]
        : [];
    });
  },
});

function healthProblems(p: ModelPanel): string[] {
  const steps = p.fieldConfig?.defaults?.thresholds?.steps ?? [];
  const texts = (p.fieldConfig?.defaults?.mappings ?? [])
    .filter((x) => x.type === 'value')
    .flatMap((x) => Object.keys(x.options ?? {}));
  const out: string[] = [];
  if (!/red/.test(steps[0]?.color ?? ''))
    out.push(`shows a 0/1 health value, but 0 is ${steps[0]?.color ?? 'uncoloured'}: a failure must read red.`);
  if (!steps.some((s) => typeof s.value === 'number' && s.value > 0 && s.value <= 1 && /green/.test(s.color ?? '')))
    out.push('shows a 0/1 health value without a green step at 1.');
  if (!texts.includes('0') || !texts.includes('1'))
    out.push('shows a 0/1 health value as a number: map 0 and 1 to DOWN and UP.');
  return out;
}

function tableProblems(p: ModelPanel): string[] {
  return (p.targets ?? [])
    .filter((t) => t.expr !== undefined && (t.format !== 'table' || t.instant !== true))
    .map(
      (t) =>
        `target ${t.refId ?? '?'} is ${t.format ?? 'time_series'}${t.instant ? ', instant' : ', range'}: a table shows one series only unless the query is instant in table format.`,
    );
}

function alertTableProblems(p: ModelPanel, families: ReadonlySet<string>): string[] {
  const organize = (p.transformations ?? []).find((t) => t.id === 'organize')?.options ?? {};
  const included = organize.includeByName as Record<string, boolean> | undefined;
  const excluded = (organize.excludeByName ?? {}) as Record<string, boolean>;
  const showsField = (f: string) =>
    !excluded[f] && (!included || Object.keys(included).length === 0 || included[f] === true);
  const out = ['alertstate', 'severity'].filter((f) => !showsField(f)).map((f) => `lists alerts without their ${f}.`);
  if (!families.has('ALERTS_FOR_STATE'))
    out.push('lists alerts without since when they are active (ALERTS_FOR_STATE).');
  if (
    !(p.fieldConfig?.overrides ?? []).some((o) => (o.properties ?? []).some((x) => x.id === 'links')) &&
    !(p.links ?? []).length
  )
    out.push('lists alerts without a link to their runbook.');
  return out;
}

function jobProblems(ctx: LintContext, m: ModelDashboard): string[] {
  const job = (m.templating?.list ?? []).find((v) => v.name === 'job');
  if (!job) return [];
  const values = [job.current?.value ?? []].flat();
  if (!values.length || values.some((v) => ['$__all', 'All', '.+', '.*', ''].includes(v))) {
    return [
      `the job variable defaults to ${values.length ? values.join(', ') : 'nothing'}: every job's series (Prometheus's own included) mix into the panels.`,
    ];
  }
  const jobs = ctx.project.config?.jobs;
  const unknown = jobs && values.filter((v) => !jobs.includes(v));
  return unknown?.length
    ? [
        `the job variable defaults to ${unknown.join(', ')}, which ${PATHS.config} does not scrape (jobs: ${jobs!.join(', ')}).`,
      ]
    : [];
}

function schemaProblem(ctx: LintContext, m: ModelDashboard): { message: string; fix: string } | undefined {
  const image = ctx.project.grafanaImage;
  if (!image) return undefined;
  const release = /:(\d+)\.(\d+)/.exec(image);
  const expected = release ? GRAFANA_SCHEMA_VERSIONS[`${release[1]}.${release[2]}`] : undefined;
  if (expected === undefined) {
    return {
      message: `${PATHS.compose} pins ${image}, whose dashboard schemaVersion the lint does not know.`,
      fix: `pin a release listed in GRAFANA_SCHEMA_VERSIONS (src/lint/rules/dashboard-reading.ts: ${Object.keys(GRAFANA_SCHEMA_VERSIONS).join(', ')}) or add the one you pin`,
    };
  }
  if (m.schemaVersion === expected) return undefined;
  return {
    message: `has schemaVersion ${m.schemaVersion ?? 'unset'}, but ${image} (${PATHS.compose}) reads and writes schemaVersion ${expected}.`,
    fix: `generate the model of the pinned Grafana (the foundation SDK version sets it), or pin the Grafana release whose model the dashboards use`,
  };
}

/** Whether dashboard `m` has a link that reaches dashboard `o`: by tag (a dashboards link) or by uid. */
function links(m: ModelDashboard, o: DashboardFile, om: ModelDashboard): boolean {
  return (m.links ?? []).some(
    (l) =>
      (l.type === 'dashboards' &&
        (l.tags ?? []).length > 0 &&
        (l.tags ?? []).every((t) => (om.tags ?? []).includes(t))) ||
      (o.uid !== undefined && (l.url ?? '').includes(`/d/${o.uid}`)),
  );
}
