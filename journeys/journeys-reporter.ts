// A Playwright reporter that writes journeys.json: per journey (one test), pass/fail, each step's
// samples, p95 and SLO budget, the error and the kept traces. Validated against the schema the gate
// reads (src/e2e/journeys.ts) and written atomically.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { summarizeStep } from '../src/e2e/budgets.js';
import { journeysFileSchema, type JourneyRecord } from '../src/e2e/journeys.js';
import { STEPS_ATTACHMENT, type RecordedStep } from './fixtures/journey.js';

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

export default class JourneysReporter implements Reporter {
  private readonly journeys: JourneyRecord[] = [];
  private startedAt = new Date();
  private grep: string | null = null;

  constructor(private readonly options: { outputFile: string; reportDir: string; baseUrl: string }) {}

  onBegin(_config: FullConfig, _suite: Suite): void {
    this.startedAt = new Date();
    // The command line's --grep (the tags asked for); the config has none of its own.
    const argv = process.argv;
    const i = argv.findIndex((a) => a === '--grep' || a === '-g');
    this.grep = i >= 0 ? (argv[i + 1] ?? null) : (argv.find((a) => a.startsWith('--grep='))?.slice(7) ?? null);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const dir = dirname(this.options.outputFile);
    const attached = result.attachments.find((a) => a.name === STEPS_ATTACHMENT && a.body);
    const recorded: RecordedStep[] = attached ? JSON.parse(attached.body!.toString('utf8')) : [];
    const steps = recorded.map((s) => summarizeStep(s.name, s.slo, s.samples));
    const errors = result.errors.map((e) => stripAnsi(e.message ?? e.value ?? 'error'));
    const status = result.status;
    this.journeys.push({
      id: basename(test.location.file).replace(/\.spec\.ts$/, ''),
      title: test.title,
      tags: test.tags,
      status,
      pass: status === 'passed' && steps.every((s) => s.pass),
      durationMs: result.duration,
      steps: steps.map((s) => ({ ...s, samples: [...s.samples] })),
      error: errors.length ? errors.join('\n\n') : null,
      traces: result.attachments.filter((a) => a.name === 'trace' && a.path).map((a) => relative(dir, a.path!)),
    });
  }

  async onEnd(_result: FullResult): Promise<void> {
    const file = this.options.outputFile;
    const doc = journeysFileSchema.parse({
      version: 1,
      baseUrl: this.options.baseUrl,
      grep: this.grep,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      report: relative(dirname(file), `${this.options.reportDir}/index.html`),
      journeys: this.journeys,
    });
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    await rename(tmp, file);
  }

  printsToStdio(): boolean {
    return false;
  }
}
