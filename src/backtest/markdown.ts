// The backtest report as Markdown for the PR (job summary, comment): weaker gates first, then
// stricter ones, the alerts per run side by side, and the gate per run.
import { describeStates, type BacktestReport } from './report.js';
import { plural } from '../kernel/words.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function renderMarkdown(r: BacktestReport): string {
  const out: string[] = [];
  const short = r.base.commit.slice(0, 7);
  out.push(
    `## Backtest of the alert changes: \`${r.base.ref}\` (${short}) → working tree, over ${plural(r.runs.length, 'recorded run')}`,
    '',
  );
  if (!r.alerts.length) {
    out.push('No alert or recording rule changed how it fires: nothing to replay.', '');
    return out.join('\n');
  }
  const head = [
    r.weaker.length
      ? `**⚠ ${plural(r.weaker.length, 'weaker gate finding')}, proven on recorded runs**`
      : 'no weaker gate on any recorded run',
    `${r.stricter.length} stricter`,
    `${plural(r.alerts.length, 'alert')} replayed`,
    `${(r.timing.totalMs / 1000).toFixed(1)} s`,
  ];
  out.push(head.join(' · '), '');
  if (!r.runs.length)
    out.push(
      `**Not backtested:** no recorded runs in \`${r.runsDir}\` (a gate run with Prometheus records one: docs/backtest.md).`,
      '',
    );
  if (r.weaker.length) {
    out.push('### ⚠ Weaker gates', '');
    for (const f of r.weaker) out.push(`- **${f.alert}**: ${f.text}`);
    out.push('');
  }
  if (r.stricter.length) {
    out.push('### Stricter gates', '');
    for (const f of r.stricter) out.push(`- **${f.alert}**: ${f.text}`);
    out.push('');
  }
  if (r.results.length) {
    out.push(
      '### Alerts per recorded run',
      '',
      '| alert | change | run | recorded | base | head |',
      '|---|---|---|---|---|---|',
    );
    for (const x of r.results) {
      const gate =
        x.gate.base && x.gate.head
          ? ' · gate'
          : x.gate.base
            ? ' · gate on base only'
            : x.gate.head
              ? ' · gate on head only'
              : '';
      out.push(
        `| ${esc(x.alert)}${gate} | ${x.change} | \`${x.run}\` | ${x.recorded ? 'failed the gate' : 'quiet'} | ${describeStates(x.base)} | ${describeStates(x.head)} |`,
      );
    }
    out.push('');
  }
  if (r.recordValues.length) {
    out.push(
      '### Changed recording rules (largest value in the window)',
      '',
      '| record | run | base | head |',
      '|---|---|---|---|',
    );
    const v = (x?: { series: number; max: number | null }) =>
      x ? `${x.max ?? 'no value'} (${x.series} series)` : 'absent';
    for (const x of r.recordValues) out.push(`| ${esc(x.record)} | \`${x.run}\` | ${v(x.base)} | ${v(x.head)} |`);
    out.push('');
  }
  if (r.gates.length) {
    out.push(
      '### The gate per recorded run',
      '',
      '| run | recorded | gate alerts recorded | gate alerts on head | on head |',
      '|---|---|---|---|---|',
    );
    for (const g of r.gates) {
      const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');
      const verdict = g.headGateAlerts.length
        ? 'FAIL'
        : g.otherFailures.length
          ? `FAIL on ${g.otherFailures.join(', ')} only`
          : g.verdict === 'PARTIAL'
            ? 'PARTIAL'
            : 'PASS';
      out.push(
        `| \`${g.run}\` | ${g.verdict} | ${list(g.recordedGateAlerts)} | ${list(g.headGateAlerts)} | ${verdict} |`,
      );
    }
    out.push('');
  }
  if (r.unrecorded.length)
    out.push(`Not recorded (judged without Prometheus): ${r.unrecorded.map((u) => `\`${u}\``).join(', ')}.`, '');
  if (r.notes.length) {
    out.push('Notes:', '');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}
