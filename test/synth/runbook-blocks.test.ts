// src/synth/runbook-blocks.ts and runbook-facts.ts: synth owns the facts block of each runbook section
// and nothing else; an SLO change in the definitions is drift in the runbook until synth runs.
import assert from 'node:assert/strict';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { app } from '../../src/definitions.js';
import { BLOCK_END, BLOCK_START, fillBlocks } from '../../src/synth/runbook-blocks.js';
import { quantityText, runbookFacts } from '../../src/synth/runbook-facts.js';
import { findDrift, synthesize } from '../../src/synth/index.js';
import { lintProject, loadProject } from '../../src/lint/index.js';
import { UsageError } from '../../src/usage-error.js';
import { projectCopy, ROOT } from '../helpers.js';
import { millis, slos } from '../slo-values.js';

const RUNBOOK = 'docs/runbooks/alerts.md';
const doc = ['# Runbooks', '', 'Intro.', '', '## A', '', 'Hand text of A.', '', '## B', '', 'Hand text of B.', ''].join(
  '\n',
);
/** The text with every generated block cut out: what synth must leave as it was. */
const handWritten = (text: string) =>
  text.replace(new RegExp(`${BLOCK_START}[\\s\\S]*?${BLOCK_END}\\n*`, 'g'), '').replace(/\n{3,}/g, '\n\n');
/** One section's text, from its heading to the next `## `. */
const section = (text: string, heading: string) =>
  text.split(/^(?=## )/m).find((s) => s.startsWith(`## ${heading}\n`))!;

describe('synth: runbook facts blocks', () => {
  it('inserts a block under the heading, rewrites it in place, removes it when its facts are gone', () => {
    const once = fillBlocks(RUNBOOK, doc, new Map([['a', '| fact | 300 ms |']]));
    assert.match(
      section(once, 'A'),
      new RegExp(
        `^## A\\n\\n${BLOCK_START}\\n[^\\n]*\\n\\n\\| fact \\| 300 ms \\|\\n\\n${BLOCK_END}\\n\\nHand text of A\\.`,
      ),
    );
    assert.equal(handWritten(once), doc, 'the hand-written text is untouched');
    assert.equal(fillBlocks(RUNBOOK, once, new Map([['a', '| fact | 300 ms |']])), once, 'idempotent');
    const moved = fillBlocks(RUNBOOK, once, new Map([['a', '| fact | 200 ms |']]));
    assert.ok(moved.includes('| fact | 200 ms |') && !moved.includes('300 ms'));
    assert.equal(fillBlocks(RUNBOOK, moved, new Map()), doc, 'a block without facts is removed');
    // Hand edits outside the block survive a rewrite of the block.
    const edited = moved.replace('Hand text of A.', 'Edited by hand.');
    assert.ok(fillBlocks(RUNBOOK, edited, new Map([['a', 'x']])).includes('Edited by hand.'));
  });

  it('refuses broken markers naming the file and line: unclosed, an end alone, two blocks in one section', () => {
    const lines = doc.split('\n');
    const at = (i: number, ...insert: string[]) => [...lines.slice(0, i), ...insert, ...lines.slice(i)].join('\n');
    assert.throws(
      () => fillBlocks(RUNBOOK, at(6, BLOCK_START), new Map()),
      (e: Error) => e instanceof UsageError && /^docs\/runbooks\/alerts\.md:7: .* is never closed/.test(e.message),
    );
    assert.throws(() => fillBlocks(RUNBOOK, at(6, BLOCK_END), new Map()), /alerts\.md:7: .* without/);
    assert.throws(
      () => fillBlocks(RUNBOOK, at(6, BLOCK_START, BLOCK_END, BLOCK_START, BLOCK_END), new Map()),
      /alerts\.md:9: section #a has two generated blocks/,
    );
  });

  it("renders each SLO alert's threshold in the SLO's unit, window, hold, severity and objective from the definitions", () => {
    const facts = runbookFacts(app).get(RUNBOOK)!;
    const latency = facts.get('apilatencyp95high')!;
    assert.equal(quantityText(slos.apiLatencyP95), `${millis(slos.apiLatencyP95)} ms`);
    assert.ok(
      latency.includes(`above **${millis(slos.apiLatencyP95)} ms** over ${slos.apiLatencyP95.window}`),
      latency,
    );
    assert.ok(latency.includes(`| for (hold) | ${slos.apiLatencyP95.props.alertFor} |`), latency);
    assert.ok(latency.includes(`${slos.apiLatencyP95.props.production!.objective} of events at or under`), latency);
    assert.ok(facts.get('http5xxratiohigh')!.includes('| minimum traffic |'), 'a ratio SLO states its traffic guard');
    assert.ok(facts.get('errorbudgetburn')!.includes('14.4×'), 'the burn-rate section lists the factors');
  });

  it('the committed runbook carries the blocks the definitions give (no drift)', async () => {
    const drift = await findDrift(ROOT, await synthesize(app, { projectRoot: ROOT }));
    assert.deepEqual(
      drift.filter((d) => d.path.startsWith('docs/')),
      [],
    );
  });

  it('ms(300) → ms(200) in a project copy: verify reports the runbook as drift until synth runs, then it says 200 ms, and a stale 300 ms in the prose is a finding', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      // The definitions and what synth bundles from them (the k6 script), beside the copied generated files.
      for (const part of ['src', 'load', 'package.json', 'tsconfig.json'])
        await cp(join(ROOT, part), join(dir, part), { recursive: true });
      await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const slosFile = join(dir, 'src/slos/index.ts');
      const before = await readFile(slosFile, 'utf8');
      const old = `threshold: ms(${millis(slos.apiLatencyP95)}),`;
      const old300 = `${millis(slos.apiLatencyP95)} ms`;
      // 200 ms as the brief's example, or 100 ms should the SLO already be at 200: both are bucket bounds.
      const next = millis(slos.apiLatencyP95) === 200 ? 100 : 200;
      assert.ok(before.includes(old), `src/slos/index.ts sets ${old}`);
      await writeFile(slosFile, before.replace(old, `threshold: ms(${next}),`));
      // The copy's own modules: its tree, its synth and its verify steps (constructs are matched by class).
      const copy = await import(join(dir, 'src/definitions.ts'));
      const copySynth = await import(join(dir, 'src/synth/index.ts'));
      const { verifySteps } = await import(join(dir, 'src/verify/steps.ts'));
      const drift = verifySteps(dir, async () => copy.app).find((s: { name: string }) => s.name.startsWith('drift'))!;
      const findings = await drift.run();
      assert.ok(
        findings.some((f: { file: string; fix: string }) => f.file === RUNBOOK && /facts blocks/.test(f.fix)),
        JSON.stringify(findings.map((f: { file: string }) => f.file)),
      );
      const text = await readFile(join(dir, RUNBOOK), 'utf8');
      await copySynth.writeFileSet(dir, await copySynth.synthesize(copy.app, { projectRoot: dir }));
      assert.deepEqual(await drift.run(), [], 'after synth, verify finds no drift');
      const after = await readFile(join(dir, RUNBOOK), 'utf8');
      const latency = section(after, 'ApiLatencyP95High');
      assert.ok(latency.includes(`above **${next} ms**`), latency);
      assert.ok(!latency.includes(`${millis(slos.apiLatencyP95)} ms`), 'no stale number left in the section');
      assert.equal(handWritten(after), handWritten(text), 'only the blocks changed');
      // Checked as well as generated: the old number typed into the prose is a lint finding naming it.
      await writeFile(
        join(dir, RUNBOOK),
        after.replace('**Meaning.** API p95 latency', `**Meaning.** Above ${old300} API p95 latency`),
      );
      const stale = lintProject(await loadProject(dir)).filter((f) => f.rule === 'runbook-slo-numbers');
      assert.deepEqual(
        stale.map((f) => [f.file, f.object.split(' ')[1], f.message.split(' by hand')[0]]),
        [[RUNBOOK, '#apilatencyp95high', `states "${old300}"`]],
      );
    } finally {
      await cleanup();
    }
  });
});
