// The generated files the lint reads, parsed, with their project-relative paths. A file that does
// not parse becomes a finding rather than stopping the lint.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../verify/findings.js';

export interface RuleDoc {
  readonly record?: string;
  readonly alert?: string;
  readonly expr?: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleFile {
  readonly path: string;
  readonly groups: readonly { name: string; rules: readonly RuleDoc[] }[];
}

export interface AlertTest {
  readonly alertname: string;
  readonly expAlerts: number;
}

export interface Panel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly gridPos?: { x?: number; y?: number; w?: number; h?: number };
  readonly fieldConfig?: { defaults?: { unit?: string } };
  readonly targets?: readonly { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }[];
  readonly panels?: readonly Panel[];
}

export interface DashboardFile {
  readonly path: string;
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface Project {
  readonly root: string;
  readonly ruleFiles: readonly RuleFile[];
  readonly alertTests: readonly (AlertTest & { path: string })[];
  readonly dashboards: readonly DashboardFile[];
  /** Markdown text by project-relative path, for runbook sections. */
  readonly runbooks: ReadonlyMap<string, string>;
  readonly parseFindings: readonly Finding[];
}

async function list(root: string, dir: string, ext: RegExp): Promise<string[]> {
  const names = await readdir(join(root, dir)).catch(() => [] as string[]);
  return names.filter((n) => ext.test(n)).sort().map((n) => `${dir}/${n}`);
}

export async function loadProject(root: string): Promise<Project> {
  const parseFindings: Finding[] = [];
  const read = async <T>(path: string, parse: (text: string) => T): Promise<T | undefined> => {
    try {
      return parse(await readFile(join(root, path), 'utf8'));
    } catch (err) {
      parseFindings.push({ rule: 'parse', file: path, object: 'file', message: `cannot be parsed: ${(err as Error).message.split('\n')[0]}`, fix: 'run `make synth` to regenerate it' });
      return undefined;
    }
  };

  const ruleFiles: RuleFile[] = [];
  for (const path of await list(root, 'infra/prometheus', /\.ya?ml$/)) {
    const doc = await read(path, (t) => parseYaml(t) as { groups?: RuleFile['groups'] } | null);
    if (doc?.groups) ruleFiles.push({ path, groups: doc.groups.map((g) => ({ name: g.name, rules: g.rules ?? [] })) });
  }

  const alertTests: (AlertTest & { path: string })[] = [];
  for (const path of await list(root, 'infra/prometheus/tests', /\.ya?ml$/)) {
    const doc = await read(path, (t) => parseYaml(t) as { tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] } | null);
    for (const group of doc?.tests ?? []) {
      for (const t of group.alert_rule_test ?? []) alertTests.push({ path, alertname: t.alertname, expAlerts: t.exp_alerts?.length ?? 0 });
    }
  }

  const dashboards: DashboardFile[] = [];
  for (const path of await list(root, 'infra/grafana/provisioning/dashboards', /\.json$/)) {
    const doc = await read(path, (t) => JSON.parse(t) as { uid?: string; title?: string; panels?: Panel[] });
    if (doc) dashboards.push({ path, uid: doc.uid ?? '(no uid)', title: doc.title ?? '', panels: doc.panels ?? [] });
  }

  const runbooks = new Map<string, string>();
  for (const path of await list(root, 'docs/runbooks', /\.md$/)) {
    const text = await read(path, (t) => t);
    if (text !== undefined) runbooks.set(path, text);
  }
  return { root, ruleFiles, alertTests, dashboards, runbooks, parseFindings };
}

/** Every panel, rows' collapsed children included. */
export const allPanels = (d: DashboardFile): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

export const panelName = (d: DashboardFile, p: Panel) => `dashboard ${d.uid} / panel ${p.id ?? '?'} "${p.title ?? ''}"`;
