// Verify's `promtool test rules` step: every test group of the generated test files, each as its own
// job (cut down to the rules it reads where that provably changes nothing), run on every core and
// judged once per content: an edit re-runs only the groups whose rules or cases it changed.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Construct } from '../../constructs/construct.js';
import type { Finding } from '../../kernel/findings.js';
import { PROMTOOL_MISSING_FIX } from '../promtool.js';
import { definitionOf } from '../promtool.js';
import { suiteJobs } from './jobs.js';
import { loadModel, type Model } from './model.js';
import { jobResults, promtoolIdentity } from './results.js';
import { PromtoolMissing, runJobs } from './run.js';

export const TESTS_DIR = 'infra/prometheus/tests';

/** The generated promtool test files, project-relative and sorted. */
export async function testFiles(root: string): Promise<string[]> {
  const names = await readdir(join(root, TESTS_DIR)).catch(() => [] as string[]);
  return names
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${TESTS_DIR}/${f}`);
}

export interface SuiteResult {
  readonly findings: Finding[];
  readonly groups: number;
  readonly run: number;
  readonly reused: number;
}

const missing: Finding = {
  rule: 'promtool',
  file: TESTS_DIR,
  object: 'promtool',
  message: 'promtool is not installed.',
  fix: PROMTOOL_MISSING_FIX,
};

/**
 * One finding per alert and test file with failed groups (or per failed group that names no alert),
 * pointing at the alert's definition.
 */
async function failureFindings(
  app: () => Promise<Construct>,
  model: Model,
  failed: { file: string; group: string; names: ReadonlySet<string>; report: string }[],
): Promise<Finding[]> {
  const alerts = new Set(model.rules.filter((r) => r.doc.alert !== undefined).map((r) => r.name));
  const byAlert = new Map<string, typeof failed>();
  for (const f of failed) {
    const named = [...f.names].filter((n) => alerts.has(n));
    for (const subject of named.length ? named : [`test group "${f.group}"`])
      byAlert.set(`${subject}\0${f.file}`, [...(byAlert.get(`${subject}\0${f.file}`) ?? []), f]);
  }
  const findings: Finding[] = [];
  for (const [entry, groups] of byAlert) {
    const subject = entry.split('\0')[0]!;
    const isAlert = alerts.has(subject);
    const where = isAlert ? await definitionOf(app, subject) : undefined;
    findings.push({
      rule: 'promtool',
      file: groups[0]!.file,
      object: isAlert ? `alert ${subject}` : subject,
      message: `promtool test rules: ${isAlert ? `${subject} did not behave as its tests say` : 'the group failed'}:\n${groups
        .map((g) =>
          g.report
            .replace(/^Unit Testing:.*$/gm, '')
            .replace(/^\s*FAILED:\s*$/gm, '')
            .trim(),
        )
        .join('\n')}`,
      fix: `fix the alert's expression or its \`tests\` where it is defined (${where ?? 'src/alerts/'}), then \`make synth\``,
    });
  }
  return findings;
}

export async function runSuite(root: string, app: () => Promise<Construct>): Promise<SuiteResult> {
  const promtool = promtoolIdentity();
  if (!promtool) return { findings: [missing], groups: 0, run: 0, reused: 0 };
  const model = await loadModel(root, await testFiles(root));
  const jobs = suiteJobs(model);
  const results = jobResults(promtool);
  try {
    const r = await runJobs(
      jobs.map((j) => j.job),
      { results, explain: true },
    );
    await results.save();
    const failed = jobs
      .filter((j) => r.outcomes.get(j.job.dir) !== 'passed')
      .map((j) => ({
        file: j.test.path,
        group: String(j.group.doc.name ?? `#${j.group.index + 1}`),
        names: j.group.names,
        report: r.reports.get(j.job.dir) ?? 'promtool did not report on this group',
      }));
    return { findings: await failureFindings(app, model, failed), groups: jobs.length, run: r.run, reused: r.reused };
  } catch (err) {
    if (err instanceof PromtoolMissing) return { findings: [missing], groups: 0, run: 0, reused: 0 };
    throw err;
  }
}

/** The findings alone (the unit tests' verdict). */
export const testRules = async (root: string, app: () => Promise<Construct>): Promise<Finding[]> =>
  (await runSuite(root, app)).findings;

export const suiteLine = (r: SuiteResult) =>
  `promtool test rules: ${r.groups} test groups (${r.run} run, ${r.reused} reused)`;
