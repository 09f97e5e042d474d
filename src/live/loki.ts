// Loki readiness: the dashboards' log panels query labels and fields that the reference app's logs
// actually carry once shipped. Three sources, all real:
//   - the LogQL of every Loki panel target, parsed with Grafana's own grammar (@grafana/lezer-logql);
//   - the labels the shipping pipeline attaches (infra/promtail/config.yml: relabel target labels and
//     the `labels` pipeline stage) and the `logging.job` container label in infra/docker-compose.yml;
//   - the JSON fields of the app's real log lines: reference-app/src/main.ts run as a child process
//     (the same stdout a container writes), with a few requests against it.
// Stream selector labels must be shipped labels; label filters after `| json` must be shipped labels
// or JSON fields; a numeric filter (`level >= 50`) needs a numeric field.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parser } from '@grafana/lezer-logql';
import { parse } from 'yaml';
import { freePort, waitForPort } from '../kernel/process.js';
import type { Finding } from '../kernel/findings.js';
import type { PanelTarget } from './sources.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface ParsedLogQL {
  readonly error?: string;
  readonly selector: Array<{ label: string; op: string; value: string }>;
  readonly parsers: string[];
  readonly filters: Array<{ label: string; kind: 'number' | 'string' | 'duration' | 'bytes' | 'ip'; text: string }>;
}

const unquote = (s: string) => {
  try {
    return s.startsWith('`') ? s.slice(1, -1) : (JSON.parse(s) as string);
  } catch {
    return s.slice(1, -1);
  }
};

export function parseLogQL(q: string): ParsedLogQL {
  const tree = parser.parse(q);
  const text = (n: SyntaxNode) => q.slice(n.from, n.to);
  let error: string | undefined;
  const selector: ParsedLogQL['selector'] = [];
  const parsers: string[] = [];
  const filters: ParsedLogQL['filters'] = [];
  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      if (n.type.isError && error === undefined) error = `syntax error at character ${n.from + 1}`;
      const inSelector = (() => {
        for (let p = n.parent; p; p = p.parent) if (p.name === 'Selector') return true;
        return false;
      })();
      if (n.name === 'Matcher' && inSelector) {
        const id = n.getChild('Identifier');
        const str = n.getChild('String');
        const op = ['Eq', 'Neq', 'Re', 'Nre'].map((o) => n.getChild(o)).find(Boolean);
        if (id && str) selector.push({ label: text(id), op: op ? text(op) : '=', value: unquote(text(str)) });
      }
      if (
        n.name === 'LabelParser' ||
        n.name === 'JsonExpressionParser' ||
        n.name === 'LogfmtParser' ||
        n.name === 'LogfmtExpressionParser'
      ) {
        parsers.push(text(n).split(/\s/)[0]!);
      }
      const kinds: Record<string, ParsedLogQL['filters'][number]['kind']> = {
        NumberFilter: 'number',
        Matcher: 'string',
        DurationFilter: 'duration',
        BytesFilter: 'bytes',
        IpLabelFilter: 'ip',
      };
      if (!inSelector && kinds[n.name] && (n.parent?.name === 'LabelFilter' || n.parent?.name === 'UnitFilter')) {
        const id = n.getChild('Identifier') ?? n.getChild('Matcher')?.getChild('Identifier');
        if (id) filters.push({ label: text(id), kind: kinds[n.name]!, text: text(n) });
      }
    },
  });
  return { ...(error ? { error } : {}), selector, parsers, filters };
}

/** Labels the promtail pipeline gives every shipped line. */
export function promtailLabels(configYaml: string): string[] {
  const doc = parse(configYaml) as {
    scrape_configs?: Array<{
      relabel_configs?: Array<{ target_label?: string }>;
      pipeline_stages?: Array<Record<string, unknown>>;
    }>;
  };
  const out = new Set<string>();
  for (const sc of doc.scrape_configs ?? []) {
    for (const r of sc.relabel_configs ?? [])
      if (r.target_label && !r.target_label.startsWith('__')) out.add(r.target_label);
    for (const stage of sc.pipeline_stages ?? [])
      if (stage.labels && typeof stage.labels === 'object') for (const k of Object.keys(stage.labels)) out.add(k);
  }
  return [...out].sort();
}

export interface LogSample {
  readonly lines: number;
  /** field → JSON type(s) seen */
  readonly fields: Record<string, string[]>;
  readonly levels: number[];
}

/** Runs the real app (main.ts) as a child process, drives a few requests, collects its stdout JSON. */
export async function sampleAppLogs(
  root: string,
  env: { DATABASE_URL: string; REDIS_URL: string },
  timeoutMs = 30_000,
): Promise<LogSample> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'reference-app/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      APP_PORT: String(port),
      LOG_LEVEL: 'info',
      SCRYPT_COST: '1024',
      TOKEN_SECRET: 'loki-readiness-secret-loki-readiness-0123',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitForPort(port, timeoutMs, 'the reference app (main.ts)');
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown) =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/api/auth/signup', { username: `loki_${process.pid}_${Date.now() % 1e6}`, password: 'loki-password' });
    await post('/api/auth/login', { username: 'nobody_here', password: 'wrong-password' }); // 401
    await fetch(`${base}/api/posts/999999999`); // 401 without a token
    await fetch(`${base}/no/such/route`); // 404
  } finally {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  const fields: Record<string, Set<string>> = {};
  const levels = new Set<number>();
  let lines = 0;
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    lines++;
    for (const [k, v] of Object.entries(obj)) (fields[k] ??= new Set()).add(v === null ? 'null' : typeof v);
    if (typeof obj.level === 'number') levels.add(obj.level);
  }
  return {
    lines,
    fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [...v].sort()])),
    levels: [...levels].sort((a, b) => a - b),
  };
}

export interface LokiTargetResult {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly problems: string[];
}

export interface LokiReadiness {
  readonly shippedLabels: string[];
  readonly composeJobs: string[];
  readonly logs: LogSample;
  readonly targets: LokiTargetResult[];
  readonly findings: Finding[];
  readonly pass: boolean;
}

export function checkLokiTargets(
  panels: readonly PanelTarget[],
  shipped: readonly string[],
  logs: LogSample,
  composeJobs: readonly string[],
): { targets: LokiTargetResult[]; findings: Finding[] } {
  const targets: LokiTargetResult[] = [];
  const findings: Finding[] = [];
  for (const t of panels.filter((p) => p.datasource === 'loki')) {
    // Template variables: `$job` & co. become a regex matching anything, as for Prometheus targets.
    const expr = t.expr.replace(/\$\{?[A-Za-z_]\w*(?::[^}]*)?\}?/g, '.+');
    const q = parseLogQL(expr);
    const problems: string[] = [];
    if (q.error) problems.push(q.error);
    for (const m of q.selector) {
      if (!shipped.includes(m.label))
        problems.push(
          `stream selector label "${m.label}" is not attached by the shipping pipeline (labels: ${shipped.join(', ')})`,
        );
      if (
        m.label === 'job' &&
        (m.op === '=' || m.op === '=~') &&
        !composeJobs.some((j) => new RegExp(`^(?:${m.value})$`).test(j))
      )
        problems.push(`job ${m.op} "${m.value}" matches no service's logging.job (${composeJobs.join(', ')})`);
    }
    const parsed = q.parsers.includes('json');
    for (const f of q.filters) {
      const types = logs.fields[f.label];
      const known = shipped.includes(f.label) || (parsed && types);
      if (!known)
        problems.push(
          `label filter on "${f.label}": not a shipped label${parsed ? " nor a JSON field of the app's logs" : ' (and the query has no | json)'}`,
        );
      else if (f.kind === 'number' && parsed && types && !types.includes('number'))
        problems.push(`numeric filter "${f.text}" on a field the logs write as ${types.join('/')}`);
    }
    targets.push({ dashboard: t.dashboardUid, panel: t.panelTitle, refId: t.refId, expr: t.expr, problems });
    for (const p of problems)
      findings.push({
        rule: 'loki-readiness',
        file: t.file,
        object: `dashboard ${t.dashboardUid} / panel ${t.panelId} "${t.panelTitle}" / target ${t.refId}`,
        message: p,
        fix: 'query labels the pipeline ships (infra/promtail/config.yml) and fields the app logs',
      });
  }
  return { targets, findings };
}

export async function lokiReadiness(
  root: string,
  panels: readonly PanelTarget[],
  deps: { DATABASE_URL: string; REDIS_URL: string },
): Promise<LokiReadiness> {
  const shippedLabels = promtailLabels(await readFile(join(root, 'infra/promtail/config.yml'), 'utf8'));
  const compose = parse(await readFile(join(root, 'infra/docker-compose.yml'), 'utf8')) as {
    services?: Record<string, { labels?: Record<string, string> | string[] }>;
  };
  const composeJobs = Object.values(compose.services ?? {})
    .map(
      (s) =>
        (Array.isArray(s.labels)
          ? Object.fromEntries(s.labels.map((l) => l.split('=') as [string, string]))
          : (s.labels ?? {}))['logging.job'],
    )
    .filter((j): j is string => !!j);
  const logs = await sampleAppLogs(root, deps);
  const { targets, findings } = checkLokiTargets(panels, shippedLabels, logs, composeJobs);
  if (logs.lines === 0)
    findings.push({
      rule: 'loki-readiness',
      file: 'reference-app/src/main.ts',
      object: 'app logs',
      message: 'the app wrote no JSON log lines',
      fix: 'log JSON to stdout (pino)',
    });
  return { shippedLabels, composeJobs, logs, targets, findings, pass: findings.length === 0 };
}
