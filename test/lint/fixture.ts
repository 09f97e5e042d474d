// The lint's test fixture: a small clean project (test/fixtures/lint/clean) linted after edits, and a
// catalog with the real metrics' names, so the fixture lints clean against both.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { counter, gauge, histogram, type Metric } from '../../src/catalog/index.js';
import { lintProject, loadProject } from '../../src/lint/index.js';
import type { Finding } from '../../src/kernel/findings.js';

export const testCatalog: readonly Metric[] = [
  counter<'method' | 'route' | 'status'>({
    name: 'http_requests_total',
    help: 'HTTP requests completed.',
    unit: 'count',
    labels: {
      method: { values: ['GET', 'POST'], help: 'HTTP method' },
      route: { help: 'route template' },
      status: { help: 'status code' },
    },
    signals: ['http-traffic'],
  }),
  histogram<'method' | 'route'>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency.',
    unit: 'seconds',
    labels: { method: { values: ['GET', 'POST'], help: 'HTTP method' }, route: { help: 'route template' } },
    buckets: [0.1, 0.3, 1],
    signals: ['http-latency'],
  }),
  gauge<'channel'>({
    name: 'ws_connections_active',
    help: 'Open WebSocket connections.',
    unit: 'count',
    labels: { channel: { values: ['chat', 'notifications', 'games'], help: 'WebSocket endpoint' } },
    signals: ['ws-connections'],
  }),
];

export const FIXTURE = resolve(import.meta.dirname, '../fixtures/lint/clean');
export const ALERTS = 'infra/prometheus/alerts.yml';
export const RECORDS = 'infra/prometheus/recording-rules.yml';
export const TESTS = 'infra/prometheus/tests/alerts.test.yml';
export const DASHBOARD = 'infra/grafana/provisioning/dashboards/api-overview.json';
export const RUNBOOK = 'docs/runbooks/alerts.md';

// Documents are edited as parsed YAML/JSON: the shapes are the files', not ours to type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

/** Edits to a copy of the fixture, applied in order. */
export class Edits {
  readonly steps: ((dir: string) => Promise<void>)[] = [];
  text(path: string, edit: (text: string) => string): this {
    this.steps.push(async (dir) => writeFile(join(dir, path), edit(await readFile(join(dir, path), 'utf8'))));
    return this;
  }
  yaml(path: string, edit: (doc: Doc) => void): this {
    return this.text(path, (t) => {
      const doc = parseYaml(t) as Doc;
      edit(doc);
      return stringifyYaml(doc);
    });
  }
  json(path: string, edit: (doc: Doc) => void): this {
    return this.text(path, (t) => {
      const doc = JSON.parse(t) as Doc;
      edit(doc);
      return JSON.stringify(doc, null, 2);
    });
  }
  remove(path: string): this {
    this.steps.push((dir) => rm(join(dir, path)));
    return this;
  }
  write(path: string, text: string): this {
    this.steps.push((dir) => writeFile(join(dir, path), text));
    return this;
  }
}

/** Lints a copy of the fixture with the edits applied; `definitions` as verify passes them (alert → source line). */
export async function lint(
  edits = new Edits(),
  catalog = testCatalog,
  definitions?: ReadonlyMap<string, string>,
): Promise<Finding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-lint-'));
  try {
    await cp(FIXTURE, dir, { recursive: true });
    for (const step of edits.steps) await step(dir);
    return lintProject(await loadProject(dir), catalog, definitions);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The findings, asserting they all come from one rule. */
export function only(findings: Finding[], rule: string): Finding[] {
  assert.ok(findings.length > 0, `expected ${rule} findings, got none`);
  assert.deepEqual(
    findings.filter((f) => f.rule !== rule),
    [],
    `only ${rule} fires`,
  );
  return findings;
}

// Edit helpers for the fixture's documents.
export const alert = (doc: Doc, name: string) => doc.groups[0].rules.find((r: Doc) => r.alert === name);
export const panel = (doc: Doc, id: number) =>
  doc.panels.flatMap((p: Doc) => [p, ...(p.panels ?? [])]).find((p: Doc) => p.id === id);

export const PANEL_2_A = 'dashboard api-overview / panel 2 "Request rate" / target A';
export const PANEL_3 = 'dashboard api-overview / panel 3 "p95 latency"';
export const PANEL_5_A = 'dashboard api-overview / panel 5 "Open connections" / target A';
