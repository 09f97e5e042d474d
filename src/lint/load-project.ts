// Reads the generated files the lint checks, parsed and shape-checked, into a Project. A file that
// does not parse becomes a finding rather than stopping the lint: one broken file should not hide
// what is wrong in the others.
import { access, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Finding } from '../kernel/findings.js';
import { parsePrometheusConfig } from './prometheus-config.js';
import {
  PATHS,
  type AlertTestCase,
  type DashboardFile,
  type Datasource,
  type Panel,
  type Project,
  type RuleFile,
} from './project.js';

// YAML turns `severity: 1` or `expr: 1` into numbers; Prometheus reads them as strings.
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const ruleFileSchema = z.object({
  groups: z.array(
    z.object({
      name: scalar,
      interval: scalar.optional(),
      rules: z
        .array(
          z.object({
            record: scalar.optional(),
            alert: scalar.optional(),
            expr: scalar.optional(),
            for: scalar.optional(),
            labels: z
              .record(z.string(), scalar)
              .nullish()
              .transform((v) => v ?? undefined),
            annotations: z
              .record(z.string(), scalar)
              .nullish()
              .transform((v) => v ?? undefined),
          }),
        )
        .nullish()
        .transform((v) => v ?? []),
    }),
  ),
});

const ruleTestSchema = z.object({
  tests: z
    .array(
      z.object({
        alert_rule_test: z
          .array(
            z.object({ alertname: scalar, eval_time: scalar.optional(), exp_alerts: z.array(z.unknown()).nullish() }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});

// Legacy dashboards name the datasource with a bare string; read it as the uid.
const datasourceSchema = z.union([
  z.object({ type: z.string().optional(), uid: z.string().optional() }),
  z.string().transform((uid): Datasource => ({ uid })),
]);

const targetSchema = z.object({
  refId: z.string().optional(),
  expr: z.string().optional(),
  datasource: datasourceSchema.nullish().transform((v) => v ?? undefined),
  legendFormat: z.string().optional(),
});

const panelSchema: z.ZodType<Panel> = z.lazy(() =>
  z.object({
    id: z.unknown().optional(),
    type: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    datasource: datasourceSchema.nullish(),
    gridPos: z.object({ x: z.unknown(), y: z.unknown(), w: z.unknown(), h: z.unknown() }).partial().optional(),
    fieldConfig: z.object({ defaults: z.object({ unit: z.string().optional() }).optional() }).optional(),
    targets: z.array(targetSchema).optional(),
    panels: z.array(panelSchema).optional(),
  }),
);

const dashboardSchema = z.object({
  uid: z.string().optional(),
  title: z.string().optional(),
  panels: z.array(panelSchema).optional(),
  templating: z
    .object({ list: z.array(z.object({ name: z.string(), type: z.string().optional() })).optional() })
    .optional(),
});

class ShapeError extends Error {}

function shaped<T>(schema: z.ZodType<T>, doc: unknown): T {
  const result = schema.safeParse(doc);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ShapeError(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

/** Project-relative paths of the files directly in (or, with `deep`, anywhere under) `dir`. */
async function list(root: string, dir: string, ext: RegExp, deep = false): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: deep }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export async function loadProject(root: string): Promise<Project> {
  const parseFindings: Finding[] = [];
  const read = async <T>(path: string, parse: (text: string) => T): Promise<T | undefined> => {
    try {
      return parse(await readFile(join(root, path), 'utf8'));
    } catch (err) {
      const what = err instanceof ShapeError ? 'does not have the expected structure' : 'cannot be parsed';
      parseFindings.push({
        rule: 'file-parse',
        file: path,
        object: 'file',
        message: `${what}: ${(err as Error).message.split('\n')[0]}`,
        fix: 'run `make synth` to regenerate it; if it still fails, fix the generator under src/ that writes it',
      });
      return undefined;
    }
  };

  const configExists = await access(join(root, PATHS.config)).then(
    () => true,
    () => false,
  );
  const config = configExists
    ? await read(PATHS.config, (text) => parsePrometheusConfig(PATHS.config, text))
    : undefined;

  const ruleFiles: RuleFile[] = [];
  for (const path of await list(root, PATHS.rules, /\.ya?ml$/)) {
    if (basename(path) === 'prometheus.yml') continue;
    const doc = await read(path, (text) => {
      const raw = parseYaml(text) as unknown;
      // Other YAML next to the rules (alertmanager, web config) has no groups: not ours to check.
      return raw && typeof raw === 'object' && 'groups' in raw ? shaped(ruleFileSchema, raw) : undefined;
    });
    if (doc) ruleFiles.push({ path, groups: doc.groups });
  }

  const alertTests: AlertTestCase[] = [];
  for (const path of await list(root, PATHS.ruleTests, /\.ya?ml$/)) {
    const doc = await read(path, (text) => shaped(ruleTestSchema, parseYaml(text) ?? {}));
    for (const test of doc?.tests ?? []) {
      for (const t of test.alert_rule_test ?? []) {
        alertTests.push({
          path,
          alertname: t.alertname,
          ...(t.eval_time ? { evalTime: t.eval_time } : {}),
          expAlerts: t.exp_alerts?.length ?? 0,
        });
      }
    }
  }

  const dashboards: DashboardFile[] = [];
  for (const path of await list(root, PATHS.dashboards, /\.json$/)) {
    const doc = await read(path, (text) => {
      const raw = JSON.parse(text) as unknown;
      return { ...shaped(dashboardSchema, raw), raw };
    });
    if (!doc) continue;
    dashboards.push({
      path,
      ...(doc.uid ? { uid: doc.uid } : {}),
      ...(doc.title !== undefined ? { title: doc.title } : {}),
      panels: doc.panels ?? [],
      variables: (doc.templating?.list ?? []).map((v) => ({ name: v.name, ...(v.type ? { type: v.type } : {}) })),
      raw: doc.raw,
    });
  }

  const runbooks = new Map<string, string>();
  for (const path of await list(root, PATHS.runbooks, /\.md$/, true)) {
    const text = await read(path, (t) => t);
    if (text !== undefined) runbooks.set(path, text);
  }
  // The Grafana image the Compose file pins, for the dashboards' schemaVersion; absent Compose is no finding.
  const compose = parseYaml(await readFile(join(root, PATHS.compose), 'utf8').catch(() => 'null')) as {
    services?: { grafana?: { image?: unknown } };
  } | null;
  const image = compose?.services?.grafana?.image;
  return {
    root,
    ...(config ? { config } : {}),
    configExists,
    ruleFiles,
    alertTests,
    dashboards,
    runbooks,
    parseFindings,
    ...(typeof image === 'string' ? { grafanaImage: image } : {}),
  };
}
