// The runbooks' dashboard links: the prose writes Markdown reference links, `[VM][vm/<uid>]` and
// `[cluster][cluster/<uid>]`, and synth writes their definitions in one block at the end of each
// runbook from the configured Grafana URLs, so a Grafana other than the local stack's is one setting.
import type { Construct } from '../constructs/construct.js';
import { Dashboard } from '../constructs/dashboard.js';
import { GRAFANA_URLS, type GrafanaUrls } from '../platform.js';
import { UsageError } from '../usage-error.js';

export const LINKS_START = '<!-- generated: dashboard links -->';
export const LINKS_END = '<!-- end generated dashboard links -->';
const NOTE =
  '<!-- synth writes these from GRAFANA_URLS (src/platform.ts), or STRESSGATE_GRAFANA_URL / STRESSGATE_CLUSTER_GRAFANA_URL: run `make synth` -->';

/** The environment variable that overrides each Grafana's URL for one synth (and the verify that checks it). */
export const GRAFANA_ENV = { vm: 'STRESSGATE_GRAFANA_URL', cluster: 'STRESSGATE_CLUSTER_GRAFANA_URL' } as const;

/** The Grafana URLs: the setting, each overridden by its environment variable; without a trailing slash. */
export function grafanaUrls(env: NodeJS.ProcessEnv = process.env): GrafanaUrls {
  const url = (topology: keyof GrafanaUrls): string => {
    const value = env[GRAFANA_ENV[topology]] || GRAFANA_URLS[topology];
    return checkedBase(value, GRAFANA_ENV[topology]);
  };
  return { vm: url('vm'), cluster: url('cluster') };
}

function checkedBase(value: string, name: string): string {
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash)
    throw new UsageError(
      `${name}: "${value}" is not a Grafana base URL; give http(s)://host[:port][/path], e.g. https://grafana.example.com`,
    );
  return value.replace(/\/+$/, '');
}

/** The reference label the runbooks link a dashboard by on one Grafana. */
export const dashboardLabel = (topology: keyof GrafanaUrls, uid: string): string => `${topology}/${uid}`;

/** One definition per dashboard of the tree on each Grafana, sorted. */
export function linkDefinitions(root: Construct, grafana: GrafanaUrls): string[] {
  const uids = root.findAll(Dashboard).map((d) => d.uid);
  const bases = Object.entries(grafana) as [keyof GrafanaUrls, string][];
  return bases
    .flatMap(([topology, url]) => {
      const base = checkedBase(url, `the ${topology} Grafana URL`);
      return uids.map((uid) => `[${dashboardLabel(topology, uid)}]: ${base}/d/${uid}`);
    })
    .sort();
}

/** `text` with its definitions block rewritten, or appended at the end when it has none. */
export function fillLinks(path: string, text: string, definitions: readonly string[]): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === LINKS_START);
  const end = lines.findIndex((l) => l.trim() === LINKS_END);
  if (start >= 0 && end < start)
    throw new UsageError(`${path}:${start + 1}: "${LINKS_START}" is never closed; add "${LINKS_END}" after it`);
  if (start < 0 && end >= 0)
    throw new UsageError(`${path}:${end + 1}: "${LINKS_END}" without "${LINKS_START}" before it; remove it`);
  const block = [LINKS_START, NOTE, '', ...definitions, '', LINKS_END];
  if (start >= 0) lines.splice(start, end - start + 1, ...block);
  else lines.splice(lines.length, 0, ...(lines.at(-1) === '' ? [] : ['']), ...block, '');
  return lines.join('\n');
}
