// Kubernetes manifests, base vs head: resources added / removed by `kind/name`, and per resource what
// a reviewer weighs: a TestRun's parallelism, arguments, runner env and resources; which rule groups
// of a PrometheusRule and which dashboard of a GrafanaDashboard changed (their embedded content goes
// through the rule and dashboard diffs); which keys of a ConfigMap changed.
import { diffDashboards } from './dashboards.js';
import { diffRuleFiles, type RuleDiffOptions } from './rules.js';
import type { FieldChange, KubernetesChange, KubernetesDiff, ResourceRef, RuleDiff } from './types.js';

type TestRunChange = NonNullable<KubernetesChange['testRun']>;
type DataKeyChange = NonNullable<KubernetesChange['data']>[number];
import { asText, changedFields, deepEqual, diffMaps, isRecord } from './util.js';

/** Parsed manifest files by path (relative to the project root): each file's documents. */
export type ManifestSet = Readonly<Record<string, readonly unknown[]>>;

interface Resource extends ResourceRef {
  readonly doc: Record<string, unknown>;
}

function resources(set: ManifestSet): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const file of Object.keys(set).sort()) {
    for (const doc of set[file]!) {
      if (!isRecord(doc)) continue;
      const kind = asText(doc.kind) ?? '(no kind)';
      const name = (isRecord(doc.metadata) ? asText(doc.metadata.name) : undefined) ?? '(no name)';
      out.set(`${kind}/${name}`, { kind, name, file, doc });
    }
  }
  return out;
}

const at = (v: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((x, k) => (isRecord(x) ? x[k] : undefined), v);

/** Removes the dotted paths from a copy of `doc` (what a kind-specific part already reports). */
function without(doc: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  for (const p of paths) {
    const keys = p.split('.');
    const parent = at(copy, ...keys.slice(0, -1));
    if (isRecord(parent)) delete parent[keys[keys.length - 1]!];
  }
  return copy;
}

function envMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Array.isArray(v) ? v : []) {
    if (isRecord(e) && typeof e.name === 'string') out[e.name] = asText(e.value) ?? asText(e.valueFrom) ?? '';
  }
  return out;
}

function change<T>(old: T | undefined, now: T | undefined) {
  return deepEqual(old, now)
    ? undefined
    : { ...(old !== undefined ? { old } : {}), ...(now !== undefined ? { new: now } : {}) };
}

function testRunChange(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): { part: TestRunChange; handled: string[] } {
  const num = (d: unknown) =>
    typeof at(d, 'spec', 'parallelism') === 'number' ? (at(d, 'spec', 'parallelism') as number) : undefined;
  const parallelism = change(num(a), num(b));
  const args = change(asText(at(a, 'spec', 'arguments')), asText(at(b, 'spec', 'arguments')));
  const handled = ['spec.parallelism', 'spec.arguments', 'spec.runner.env', 'spec.runner.resources'];
  // The initializer carries the runners' environment too: say it once.
  const sameEnv = (d: unknown) => deepEqual(at(d, 'spec', 'initializer', 'env'), at(d, 'spec', 'runner', 'env'));
  if (sameEnv(a) && sameEnv(b)) handled.push('spec.initializer.env');
  return {
    part: {
      ...(parallelism ? { parallelism } : {}),
      ...(args ? { arguments: args } : {}),
      env: diffMaps(envMap(at(a, 'spec', 'runner', 'env')), envMap(at(b, 'spec', 'runner', 'env'))),
      resources: changedFields(at(a, 'spec', 'runner', 'resources') ?? {}, at(b, 'spec', 'runner', 'resources') ?? {}),
    },
    handled,
  };
}

function ruleGroupsOf(diff: RuleDiff): string[] {
  const names = [
    ...diff.groups.map((g) => g.group),
    ...diff.added.map((r) => r.location.group),
    ...diff.removed.map((r) => r.location.group),
    ...diff.changed.flatMap((c) => [c.base.group, c.head.group]),
  ];
  return [...new Set(names)].sort();
}

function parsedJson(v: unknown): unknown {
  try {
    return typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function dataChanges(a: unknown, b: unknown): DataKeyChange[] {
  const x = isRecord(a) ? a : {};
  const y = isRecord(b) ? b : {};
  const out: DataKeyChange[] = [];
  for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    if (!(key in y)) out.push({ key, change: 'removed' });
    else if (!(key in x)) out.push({ key, change: 'added' });
    else if (x[key] !== y[key]) {
      const [jx, jy] = key.endsWith('.json') ? [parsedJson(x[key]), parsedJson(y[key])] : [undefined, undefined];
      out.push({
        key,
        change: 'changed',
        ...(jx !== undefined && jy !== undefined ? { fields: changedFields(jx, jy) } : {}),
      });
    }
  }
  return out;
}

function diffResource(id: string, a: Resource, b: Resource, options: RuleDiffOptions): KubernetesChange | undefined {
  if (deepEqual(a.doc, b.doc) && a.file === b.file) return undefined;
  let handled: string[] = [];
  let parts: Pick<KubernetesChange, 'testRun' | 'rules' | 'ruleGroups' | 'dashboard' | 'data'> = {};
  if (b.kind === 'TestRun') {
    const t = testRunChange(a.doc, b.doc);
    parts = { testRun: t.part };
    handled = t.handled;
  } else if (b.kind === 'PrometheusRule') {
    // Keyed by the resource, not the file: a renamed file is not a moved rule.
    const rules = diffRuleFiles(
      { [id]: { groups: at(a.doc, 'spec', 'groups') ?? [] } },
      { [id]: { groups: at(b.doc, 'spec', 'groups') ?? [] } },
      options,
    );
    parts = { rules, ruleGroups: ruleGroupsOf(rules) };
    handled = ['spec.groups'];
  } else if (b.kind === 'GrafanaDashboard') {
    const [x, y] = [parsedJson(at(a.doc, 'spec', 'json')), parsedJson(at(b.doc, 'spec', 'json'))];
    if (x !== undefined && y !== undefined) {
      parts = { dashboard: diffDashboards({ [id]: x }, { [id]: y }) };
      handled = ['spec.json'];
    }
  } else if (b.kind === 'ConfigMap') {
    parts = { data: dataChanges(a.doc.data, b.doc.data) };
    handled = ['data'];
  }
  const other: FieldChange[] = changedFields(without(a.doc, handled), without(b.doc, handled));
  if (a.file !== b.file) other.unshift({ path: '(file)', old: a.file, new: b.file });
  return { kind: b.kind, name: b.name, file: b.file, ...parts, other };
}

/** Every PrometheusRule's groups, as rule files keyed by `PrometheusRule/name`. */
function ruleFilesOf(rs: Map<string, Resource>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of rs) if (r.kind === 'PrometheusRule') out[id] = { groups: at(r.doc, 'spec', 'groups') ?? [] };
  return out;
}

export function diffKubernetes(base: ManifestSet, head: ManifestSet, options: RuleDiffOptions = {}): KubernetesDiff {
  const a = resources(base);
  const b = resources(head);
  // All PrometheusRules' rules as one set, so a removed resource's alerts are judged (removed) and
  // an alert moved between resources is a move; the report counts its findings with the rule files'.
  const rules = diffRuleFiles(ruleFilesOf(a), ruleFilesOf(b), options);
  const ref = ({ kind, name, file }: Resource): ResourceRef => ({ kind, name, file });
  const changed: KubernetesChange[] = [];
  for (const [id, old] of a) {
    const now = b.get(id);
    const c = now ? diffResource(id, old, now, options) : undefined;
    if (c) changed.push(c);
  }
  return {
    added: [...b].filter(([id]) => !a.has(id)).map(([, r]) => ref(r)),
    removed: [...a].filter(([id]) => !b.has(id)).map(([, r]) => ref(r)),
    changed,
    rules,
  };
}

export const noKubernetesChanges = (d: KubernetesDiff) => !d.added.length && !d.removed.length && !d.changed.length;
