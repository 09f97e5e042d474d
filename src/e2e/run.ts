// `stressgate e2e`: the browser journeys (journeys/, Playwright) against BASE_URL, judged from the
// journeys.json they write. The interlock applies to BASE_URL as to every load target.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommand, stdio, type Io } from '../command.js';
import { E2E_COMMAND } from './command.js';
import { assertTargetAllowed } from '../gate/interlock.js';
import { DEFAULT_TARGET } from '../gate/run.js';
import { UsageError } from '../usage-error.js';
import { JOURNEY_TAGS, journeysMarkdown, readJourneys, type JourneysSection } from './journeys.js';

export const JOURNEY_IDS = ['notification', 'messaging', 'game'] as const;
/** The whole suite's bound: the runner is stopped past it (each test has its own timeout too). */
const SUITE_BOUND_MS = 30 * 60_000;

export interface JourneyRun {
  readonly root: string;
  readonly baseUrl: URL;
  readonly tag: (typeof JOURNEY_TAGS)[number];
  /** Output directory, relative to root or absolute (journeys.json, report/, test-results/). */
  readonly out: string;
  readonly journeys?: readonly string[] | undefined;
  readonly env?: Record<string, string> | undefined;
}

/** Runs the Playwright suite; the judged journeys.json (a fresh one: the old file is removed first). */
export async function runJourneys(run: JourneyRun): Promise<JourneysSection> {
  const out = resolve(run.root, run.out);
  const file = join(out, 'journeys.json');
  await rm(file, { force: true });
  const specs = (run.journeys ?? []).map((id) => `journeys/${id}.spec.ts`);
  const args = ['test', '-c', 'journeys/playwright.config.ts', '--grep', run.tag, ...specs];
  const code = await new Promise<number>((done, reject) => {
    const child = spawn(join(run.root, 'node_modules/.bin/playwright'), args, {
      cwd: run.root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...run.env, BASE_URL: run.baseUrl.origin, E2E_OUT: out },
    });
    const bound = setTimeout(() => child.kill('SIGTERM'), SUITE_BOUND_MS);
    child.on('error', reject);
    child.on('exit', (c, signal) => (clearTimeout(bound), done(c ?? (signal ? 128 : 1))));
  });
  const section = await readJourneys(file);
  // The runner's own failure (a crashed reporter, a config error) must not read as PASS.
  if (code !== 0 && section.pass)
    return { ...section, pass: false, failures: [...section.failures, `playwright exited with ${code}`] };
  return section;
}

export function parseTag(tag: string): JourneyRun['tag'] {
  if (!(JOURNEY_TAGS as readonly string[]).includes(tag))
    throw new UsageError(`--tags must be one of ${JOURNEY_TAGS.join(', ')}, not "${tag}"`);
  return tag as JourneyRun['tag'];
}

export function parseJourneyIds(list: string): string[] | undefined {
  if (!list) return undefined;
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(JOURNEY_IDS as readonly string[]).includes(id));
  if (unknown.length)
    throw new UsageError(`--journeys: unknown ${unknown.join(', ')} (known: ${JOURNEY_IDS.join(', ')})`);
  return ids;
}

export async function runE2e(argv: string[], root = process.cwd(), io: Io = stdio): Promise<number> {
  const parsed = parseCommand(E2E_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const baseUrl = assertTargetAllowed(values['base-url'], undefined, 'BASE_URL');
  const section = await runJourneys({
    root,
    baseUrl,
    tag: parseTag(values.tags),
    out: values.out,
    journeys: parseJourneyIds(values.journeys),
  });
  io.out(journeysMarkdown(section));
  return section.pass ? 0 : 1;
}
