// The live check's report as Markdown (artifacts/signal-coverage.md) and as a terminal table.
import type { LiveReport } from './live-report.js';

const cell = (xs: readonly string[]) => (xs.length ? xs.join('<br>') : '—');

export function coverageMarkdown(r: LiveReport): string {
  const lines = [
    '# Signal coverage (live)',
    '',
    `Checked ${r.at} against ${r.prometheus} (\`$__rate_interval\` = ${r.rateInterval}). **${r.pass ? 'PASS' : 'FAIL'}**: ${r.findings.length} finding(s); ` +
      `${r.panels.filter((p) => p.status === 'ok').length}/${r.panels.filter((p) => p.datasource === 'prometheus').length} Prometheus panel targets with series, ` +
      `${r.rules.filter((x) => x.kind === 'recording' && x.status === 'ok').length}/${r.rules.filter((x) => x.kind === 'recording').length} recording rules with samples, ` +
      `${r.panels.filter((p) => p.status === 'idle').length + r.rules.filter((x) => x.status === 'idle').length} idle (read only 5xx responses or alerts: empty on a healthy run), ` +
      `${r.rules.filter((x) => x.kind === 'alert' && x.status === 'ok').length}/${r.rules.filter((x) => x.kind === 'alert').length} alert expressions evaluating.`,
    '',
    '| signal | catalog metric | panels | alerts | recording rules | exercised by | live |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.coverage.map(
      (c) =>
        `| ${c.signal} | \`${c.metric}\` | ${cell(c.panels)} | ${cell(c.alerts)} | ${cell(c.recordingRules.map((x) => `\`${x}\``))} | ${c.exercisedBy || '**none**'} | ${c.status} (${c.liveSeries} series) |`,
    ),
    '',
    '## Panel targets',
    '',
    '| dashboard | panel | ref | series | status |',
    '| --- | --- | --- | --- | --- |',
    ...r.panels.map(
      (p) => `| ${p.dashboard} | ${p.panel} | ${p.refId} | ${p.series} | ${p.status}${p.note ? `: ${p.note}` : ''} |`,
    ),
    '',
    '## Rules',
    '',
    '| kind | name | series | health | status |',
    '| --- | --- | --- | --- | --- |',
    ...r.rules.map(
      (x) => `| ${x.kind} | ${x.name} | ${x.series} | ${x.health} | ${x.status}${x.error ? `: ${x.error}` : ''} |`,
    ),
    '',
  ];
  if (r.gateAlertsDuringRun)
    lines.push(
      '## Gate alerts during the clean run',
      '',
      r.gateAlertsDuringRun.length
        ? r.gateAlertsDuringRun
            .map((a) => `- ${a.alertname}: ${a.states.join(' and ')} (from ${a.firstSeen})`)
            .join('\n')
        : 'None pending or firing (no false alarm).',
      '',
    );
  if (r.loki)
    lines.push(
      '## Loki readiness (log panels)',
      '',
      `Shipped labels (infra/promtail/config.yml): ${r.loki.shippedLabels.join(', ')}; Compose logging.job: ${r.loki.composeJobs.join(', ')}; ` +
        `app log lines sampled: ${r.loki.logs.lines}, fields: ${Object.entries(r.loki.logs.fields)
          .map(([k, v]) => `${k} (${v.join('/')})`)
          .join(', ')}; levels seen: ${r.loki.logs.levels.join(', ')}.`,
      '',
      '| dashboard | panel | ref | LogQL | status |',
      '| --- | --- | --- | --- | --- |',
      ...r.loki.targets.map(
        (t) =>
          `| ${t.dashboard} | ${t.panel} | ${t.refId} | \`${t.expr.replace(/\|/g, '\\|')}\` | ${t.problems.length ? t.problems.join('; ') : 'ok'} |`,
      ),
      '',
    );
  if (r.findings.length)
    lines.push('## Findings', '', ...r.findings.map((f) => `- **${f.rule}** ${f.object}: ${f.message}`), '');
  return lines.join('\n');
}

/** A compact fixed-width table for the terminal. */
export function coverageText(r: LiveReport): string {
  const rows = r.coverage.map((c) => [
    c.signal,
    c.metric,
    String(c.panels.length),
    String(c.alerts.length),
    String(c.recordingRules.length),
    c.scenarios.join(',') || (c.exercisedBy ? c.exercisedBy.split(' (')[0]! : 'NONE'),
    `${c.status}:${c.liveSeries}`,
  ]);
  const head = ['signal', 'metric', 'panels', 'alerts', 'rules', 'exercised by', 'live'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c.slice(0, 48).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
