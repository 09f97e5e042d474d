// Line charts as inline SVG: the report page stays one self-contained file, no script to load.

export interface ChartSeries {
  readonly name: string;
  /** [unix seconds, value] */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  /** Formats axis and threshold labels, e.g. seconds as "300 ms". */
  readonly format: (v: number) => string;
  /** Drawn as a dashed red line: the SLO threshold. */
  readonly threshold?: number;
}

const W = 720;
const H = 260;
const PAD = { left: 70, right: 20, top: 30, bottom: 40 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function lineChartSvg(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  const head = `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">`;
  const title = `<text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${esc(spec.title)}</text>`;
  if (!all.length) return `${head}${title}<text class="no-data" x="${W / 2}" y="${H / 2}" text-anchor="middle">no data in the run window</text></svg>`;
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const vmax = Math.max(...all.map((p) => p[1]), spec.threshold ?? 0) * 1.1 || 1;
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / vmax) * (H - PAD.top - PAD.bottom);
  const axes = [
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#888"/>`,
    ...[0, 0.5, 1].map((f) => `<text x="${PAD.left - 6}" y="${y(vmax * f) + 4}" font-size="11" text-anchor="end">${esc(spec.format(vmax * f))}</text>`),
    `<text x="${PAD.left}" y="${H - 12}" font-size="11">${new Date(t0 * 1000).toISOString().slice(11, 19)}</text>`,
    `<text x="${W - PAD.right}" y="${H - 12}" font-size="11" text-anchor="end">${new Date(t1 * 1000).toISOString().slice(11, 19)} UTC</text>`,
  ];
  const threshold =
    spec.threshold === undefined
      ? ''
      : `<line class="threshold" x1="${PAD.left}" y1="${y(spec.threshold)}" x2="${W - PAD.right}" y2="${y(spec.threshold)}" stroke="#d62728" stroke-dasharray="6 4"/>` +
        `<text x="${W - PAD.right}" y="${y(spec.threshold) - 4}" font-size="11" fill="#d62728" text-anchor="end">SLO ${esc(spec.format(spec.threshold))}</text>`;
  const lines = spec.series.map((s, i) => {
    const d = s.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const color = COLORS[i % COLORS.length]!;
    return `<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="2"/><text x="${PAD.left + 8 + i * 160}" y="${PAD.top + 12}" font-size="11" fill="${color}">${esc(s.name)}</text>`;
  });
  return `${head}${title}${axes.join('')}${threshold}${lines.join('')}</svg>`;
}
