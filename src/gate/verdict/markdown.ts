// The verdict as Markdown (artifacts/verdict.md, the job summary, the report): the decision first,
// then why, then the evidence per SLO with the samples behind every number.
import type { SloResult, Verdict } from './schema.js';
import { baselineMarkdown } from './baseline/markdown.js';
import { errorBudgetMarkdown } from './error-budget.js';
import { stabilityMarkdownLines } from './stability-markdown.js';

const num = (v: number | null, unit = '') => (v === null ? '—' : `${Number(v.toPrecision(4))}${unit}`);
const pct = (v: number) => `${Number((v * 100).toPrecision(4))}%`;

function loadCell(s: SloResult): string {
  if (!s.inScope) return 'not in this run';
  if (s.load.value === null) return 'NOT MEASURED';
  return s.load.stat === 'rate' ? pct(s.load.value) : num(s.load.value, ' ms');
}

function promCell(s: SloResult, v: Verdict): string {
  if (!s.inScope) return 'not in this run';
  if (!s.prometheus) return v.prometheus ? '—' : 'not checked';
  if (s.prometheus.value === null) return 'NOT MEASURED';
  return s.load.stat === 'rate' ? pct(s.prometheus.value) : num(s.prometheus.value * 1000, ' ms');
}

function windowValue(s: SloResult, v: number | null): string {
  if (v === null) return 'NOT MEASURED';
  return s.load.stat === 'rate' ? pct(v) : num(v * 1000, ' ms');
}

/** Per SLO: each phase's value, and its worst sliding window (./sliding-windows.ts). */
function windowsLines(v: Verdict): string[] {
  const rows = v.slos.filter((s) => s.windows);
  const notJudged = v.prometheus?.windowsNotJudged;
  if (notJudged) return ['## Phases and sliding windows', '', notJudged, ''];
  if (!rows.length) return [];
  const lines = [
    '## Phases and sliding windows',
    '',
    '| SLO | window | phase | over the phase | events | worst window | its value | result |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of rows)
    for (const p of s.windows!.phases)
      lines.push(
        `| ${s.slo} | ${s.windows!.seconds} s | ${p.phase}${p.strict ? '' : ' (reported)'} | ${windowValue(s, p.value)} | ${p.samples} | ${p.worst ? `${p.worst.start} – ${p.worst.end}` : '—'} | ${p.worst ? windowValue(s, p.worst.value) : '—'} | ${p.worst?.outcome === 'FAIL' || p.outcome === 'FAIL' ? 'FAIL' : (p.worst?.outcome ?? p.outcome)} |`,
      );
  return [...lines, ''];
}

/** The run's validity checks: a problem makes it INCOMPLETE (./validity.ts). */
function validityLines(v: Verdict): string[] {
  if (!v.validity) return [];
  return [
    `## Run validity: ${v.validity.valid ? 'valid' : 'NOT VALID (INCOMPLETE)'}`,
    '',
    ...v.validity.checks.map((c) => `- ${c.check}: ${c.status === 'ok' ? 'ok' : c.status.toUpperCase()} — ${c.detail}`),
    '',
  ];
}

export function verdictMarkdown(v: Verdict): string {
  const runner =
    v.runner.kind === 'k6'
      ? `k6${v.runner.version ? ` ${v.runner.version}` : ''}${v.runner.generation ? ` (${v.runner.generation} bundle)` : ''}${v.runner.instances && v.runner.instances > 1 ? `, ${v.runner.instances} instances (their union judged)` : ''}${v.runner.source === 'prometheus' ? ', read from Prometheus alone' : ''}`
      : 'the Node runner';
  const seconds = Math.round((Date.parse(v.window.end) - Date.parse(v.window.start)) / 1000);
  const lines = [
    `# ${v.title}`,
    '',
    `Profile \`${v.profile}\` with ${runner}, ${v.window.start} – ${v.window.end} (${seconds} s).`,
    '',
  ];
  if (v.scope.limits.length) lines.push('**Not a release verdict:**', '', ...v.scope.limits.map((l) => `- ${l}`), '');
  if (v.failures.length) {
    lines.push('## Why it failed', '', '| source | what | why |', '|---|---|---|');
    for (const f of v.failures)
      lines.push(`| ${f.source} | ${f.subject} | ${f.reason.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
    lines.push('');
  }
  const client = v.runner.kind === 'k6' ? 'k6' : 'Node runner';
  lines.push(
    '## SLOs',
    '',
    `| SLO | bound | ${client} | samples | Prometheus over the run | events | result |`,
    '|---|---|---|---|---|---|---|',
  );
  for (const s of v.slos) {
    lines.push(
      `| ${s.slo} | ≤ ${s.bound.text}${s.bound.source === 'profile' ? ' (profile)' : ''} | ${loadCell(s)} | ${s.inScope ? s.load.samples : '—'} | ${promCell(s, v)} | ${s.prometheus?.samples ?? '—'} | ${s.outcome} |`,
    );
  }
  lines.push(
    '',
    `Checks: ${v.checks.rate === null ? 'none ran' : `${pct(v.checks.rate)} of ${v.checks.passes + v.checks.fails} passed`} (minimum ${pct(v.checks.min)}): ${v.checks.pass ? 'PASS' : 'FAIL'}`,
    '',
  );
  lines.push(...windowsLines(v), ...validityLines(v));
  lines.push(...baselineMarkdown(v.baseline), '');
  lines.push(
    '## Scenarios',
    '',
    '| scenario | iterations | iterations that threw | first error |',
    '|---|---|---|---|',
  );
  for (const s of v.scenarios)
    lines.push(
      `| ${s.scenario} | ${s.iterations ?? '—'} | ${s.iterationErrors} | ${s.firstError ? `\`${s.firstError.replace(/\|/g, '\\|')}\`` : ''} |`,
    );
  lines.push('', '## Gate alerts', '');
  const p = v.prometheus;
  if (!p) lines.push('Gate alerts: not checked (no Prometheus URL given).');
  else if (!p.gateAlerts.length)
    lines.push(`Gate alerts: none pending or firing between ${v.window.start} and ${p.window.end}.`);
  else {
    lines.push(`Gate alerts pending or firing between ${v.window.start} and ${p.window.end}:`, '');
    for (const a of p.gateAlerts)
      lines.push(
        `- \`${a.alertname}\` ${a.states.join(' and ')} from ${a.firstSeen} (${Object.entries(a.labels)
          .map(([k, val]) => `${k}=${val}`)
          .join(', ')})`,
      );
  }
  lines.push('', '## Evidence', '');
  if (p) {
    for (const r of p.recordingRules)
      lines.push(`- \`${r.record}\` (${r.slo}): ${r.samples} samples during the run${r.samples ? '' : ' — BLIND'}`);
    lines.push(
      `- rule evaluation failures during the run: ${p.ruleEvaluationFailures ?? 'unknown (Prometheus does not scrape itself)'}`,
    );
  } else lines.push('- Prometheus: not given');
  const rw = v.remoteWrite;
  lines.push(
    rw
      ? `- k6 remote write to ${rw.url}: ${rw.series ?? 'unknown'} k6 series of this run in Prometheus, ${rw.errors.length} write errors`
      : '- k6 remote write: not configured',
  );
  for (const [id, s] of Object.entries(v.sections)) {
    lines.push('', `## ${s.title} (\`${id}\`): ${s.pass && !s.failures.length ? 'PASS' : 'FAIL'}`, '');
    if (s.markdown) lines.push(s.markdown.trimEnd());
    else for (const f of s.failures) lines.push(`- ${f.subject}: ${f.reason}`);
  }
  if (v.stability)
    lines.push(
      '',
      `## Stability (soak): ${v.stability.pass ? 'PASS' : 'FAIL'}`,
      '',
      ...stabilityMarkdownLines(v.stability),
    );
  if (v.errorBudget) lines.push('', ...errorBudgetMarkdown(v.errorBudget));
  return `${lines.join('\n')}\n`;
}
