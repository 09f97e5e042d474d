// The routing tests' tools: amtool over a config file, a real Alertmanager (Debian's
// prometheus-alertmanager) on random loopback ports with a temp storage dir, and the label sets every
// alert reaches Alertmanager with.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { app } from '../../src/definitions.js';
import { firingLabels } from '../../src/constructs/alertmanager.js';
import { Alert } from '../../src/constructs/rules.js';
import { routing, WATCHDOG_ALERTNAME } from '../../src/alerts/routing.js';
import { freePort, sleep, waitForPort } from '../../src/kernel/process.js';

export type Labels = Readonly<Record<string, string>>;

/** Every alert of the definitions (the Watchdog heartbeat among them) with the labels it fires with. */
export function alertLabelSets(): Labels[] {
  const sets = app.findAll(Alert).map(firingLabels);
  if (!sets.some((l) => l.alertname === WATCHDOG_ALERTNAME))
    throw new Error(`no ${WATCHDOG_ALERTNAME} alert in the definitions: the dead man's switch is missing`);
  return sets;
}

/** The committed routing rendered as Alertmanager config, optionally edited (to show the tests catch a broken one). */
export function routingConfig(edit: (config: any) => void = () => {}): string {
  const config = routing.render();
  edit(config);
  return stringify(config);
}

export async function writeTemp(text: string): Promise<{ file: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-am-'));
  const file = join(dir, 'alertmanager.yml');
  await writeFile(file, text);
  return { file, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Receivers `amtool config routes test` resolves for a label set, in routing order. */
export async function amtoolReceivers(configFile: string, labels: Labels): Promise<string[]> {
  const args = [
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ];
  const { stdout } = await promisify(execFile)('amtool', args, { timeout: 10_000 });
  return stdout.trim().split(',').filter(Boolean);
}

export interface RunningAlertmanager {
  readonly url: string;
  stop(): Promise<void>;
  log(): string;
}

/** The real Alertmanager on 127.0.0.1 (random port, clustering off, temp storage), stopped by `stop`. */
export async function startAlertmanager(configText: string): Promise<RunningAlertmanager> {
  const { file, dir, cleanup } = await writeTemp(configText);
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${file}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
    }
    await cleanup();
  };
  try {
    await waitForPort(port, 15_000, 'prometheus-alertmanager');
    const url = `http://127.0.0.1:${port}`;
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await sleep(100);
    return { url, stop, log: () => output.join('') };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${output.join('')}`);
  }
}

export async function postAlerts(am: RunningAlertmanager, alerts: readonly Labels[]): Promise<void> {
  const now = Date.now();
  const body = alerts.map((labels) => ({
    labels,
    annotations: { summary: `test alert ${labels.alertname}` },
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  }));
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST /api/v2/alerts: HTTP ${res.status} ${await res.text()}`);
}

export interface AlertStatus {
  readonly labels: Labels;
  readonly fingerprint: string;
  readonly state: 'active' | 'suppressed' | 'unprocessed';
  readonly inhibitedBy: readonly string[];
  readonly receivers: readonly string[];
}

export async function alertStatuses(am: RunningAlertmanager): Promise<AlertStatus[]> {
  const res = await fetch(`${am.url}/api/v2/alerts`);
  const body = (await res.json()) as {
    labels: Labels;
    fingerprint: string;
    status: { state: AlertStatus['state']; inhibitedBy: string[] };
    receivers: { name: string }[];
  }[];
  return body.map((a) => ({
    labels: a.labels,
    fingerprint: a.fingerprint,
    state: a.status.state,
    inhibitedBy: a.status.inhibitedBy ?? [],
    receivers: a.receivers.map((r) => r.name),
  }));
}
