// The overlay of one SLO's SLI over the current run and over its baseline run, aligned by seconds
// since each run's start: the current run solid, the baseline dashed, the SLO line red, so a release
// manager sees in one look whether the release moved the indicator. Inline SVG, like ./chart.ts.
import { valueAxes, valueScale } from './chart.js';

export interface OverlaySpec {
  readonly id: string;
  readonly title: string;
  readonly format: (v: number) => string;
  readonly threshold: number;
  /** [seconds since the run's start, value] */
  readonly current: readonly (readonly [number, number])[];
  readonly baseline: readonly (readonly [number, number])[];
  /** Under the title: the outcome and the change. */
  readonly note: string;
}

const W = 720;
const H = 260;
const PAD = { left: 70, right: 20, top: 48, bottom: 44 };
const CURRENT = '#1f4e9c';
const BASELINE = '#7f7f7f';
const RED = '#c62828';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function overlayChartSvg(spec: OverlaySpec): string {
  const all = [...spec.current, ...spec.baseline];
  const head =
    `<svg class="chart overlay${all.length ? '' : ' not-measured'}" data-slo="${esc(spec.id)}" data-current="${spec.current.length}" data-baseline="${spec.baseline.length}" ` +
    `xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">`;
  const title =
    `<text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${esc(spec.title)}</text>` +
    `<text x="${PAD.left}" y="34" font-size="10" fill="#555">${esc(spec.note)}</text>`;
  if (!all.length)
    return `${head}${title}<text x="${W / 2}" y="${H / 2}" font-size="16" fill="${RED}" text-anchor="middle">no SLI series in either verdict</text></svg>`;
  const tmax = Math.max(1, ...all.map(([t]) => t));
  const { vmax, thresholdOnAxis } = valueScale(Math.max(...all.map(([, v]) => v)), spec.threshold);
  const x = (t: number) => PAD.left + (Math.max(0, t) / tmax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / vmax) * (H - PAD.top - PAD.bottom);
  const path = (pts: OverlaySpec['current']) =>
    pts.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const axes = [
    ...valueAxes({ W, H, PAD }, y, vmax, spec.format),
    `<text x="${PAD.left}" y="${H - PAD.bottom + 14}" font-size="11">0 s</text>`,
    `<text x="${W - PAD.right}" y="${H - PAD.bottom + 14}" font-size="11" text-anchor="end">${Math.round(tmax)} s since the run's start</text>`,
  ];
  const threshold = thresholdOnAxis
    ? `<line class="threshold" x1="${PAD.left}" y1="${y(spec.threshold)}" x2="${W - PAD.right}" y2="${y(spec.threshold)}" stroke="${RED}" stroke-dasharray="2 3"/>`
    : `<text class="threshold off-axis" x="${W - PAD.right}" y="${PAD.top - 4}" font-size="11" fill="${RED}" text-anchor="end">SLO above this axis (scaled to the data)</text>`;
  const legend =
    `<text x="${PAD.left}" y="${H - 10}" font-size="10" fill="${CURRENT}">— this run</text>` +
    `<text x="${PAD.left + 120}" y="${H - 10}" font-size="10" fill="${BASELINE}">- - baseline run</text>` +
    `<text x="${PAD.left + 260}" y="${H - 10}" font-size="10" fill="${RED}">SLO ${esc(spec.format(spec.threshold))}</text>`;
  return (
    `${head}${title}${axes.join('')}${threshold}` +
    `<path class="series baseline" d="${path(spec.baseline)}" fill="none" stroke="${BASELINE}" stroke-width="1.8" stroke-dasharray="6 4"/>` +
    `<path class="series current" d="${path(spec.current)}" fill="none" stroke="${CURRENT}" stroke-width="2.4"/>` +
    `${legend}</svg>`
  );
}
