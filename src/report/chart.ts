// Line charts as inline SVG: the page stays one self-contained file, and Chromium prints the charts
// into the PDF as vectors. A chart without data is a red NOT MEASURED panel, never an empty frame.

export interface ChartSeries {
  readonly name: string;
  /** [unix seconds, value] */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  /** Identifies the chart on the page (`data-slo`). */
  readonly id: string;
  readonly title: string;
  /** The first series is the SLI as the gate computes it (drawn bold); the rest break it down. */
  readonly series: readonly ChartSeries[];
  /** Formats axis and threshold labels, e.g. seconds as "300ms". */
  readonly format: (v: number) => string;
  /** Drawn as a dashed red line: the SLO threshold. */
  readonly threshold: number;
  /** The x axis, unix seconds (the queried range). */
  readonly range: readonly [number, number];
  /** Shaded: the load run itself. */
  readonly run: readonly [number, number];
  /** A line under the title: the query's window and step. */
  readonly note: string;
  /** Why there is no data, when there is none. */
  readonly reason?: string;
}

const W = 720;
const H = 290;
const PAD = { left: 70, right: 20, top: 48, bottom: 56 };
/** Series drawn per chart (the SLI and its largest breakdowns), three legend entries a row. */
export const MAX_SERIES = 6;
const COLORS = ['#1f4e9c', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#e377c2', '#7f7f7f'];
const RED = '#c62828';

/** The axis top: the data's max rounded up to 1, 2, 2.5 or 5 times a power of ten, so ticks read cleanly. */
/** The x and y axis lines and the value ticks (0, half, top) of a chart of this frame. */
export function valueAxes(
  frame: { readonly W: number; readonly H: number; readonly PAD: typeof PAD },
  y: (v: number) => number,
  vmax: number,
  format: (v: number) => string,
): string[] {
  const { W: w, H: h, PAD: p } = frame;
  return [
    `<line x1="${p.left}" y1="${h - p.bottom}" x2="${w - p.right}" y2="${h - p.bottom}" stroke="#888"/>`,
    `<line x1="${p.left}" y1="${p.top}" x2="${p.left}" y2="${h - p.bottom}" stroke="#888"/>`,
    ...[0, 0.5, 1].map(
      (f) =>
        `<text x="${p.left - 6}" y="${y(vmax * f) + 4}" font-size="11" text-anchor="end">${esc(format(vmax * f))}</text>`,
    ),
  ];
}

export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v * (1 - 1e-9))!;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clock = (t: number) => new Date(t * 1000).toISOString().slice(11, 19);

export function lineChartSvg(spec: ChartSpec): string {
  const points = spec.series.reduce((n, s) => n + s.points.length, 0);
  const measured = (spec.series[0]?.points.length ?? 0) > 0;
  const head =
    `<svg class="chart ${measured ? 'measured' : 'not-measured'}" data-slo="${esc(spec.id)}" data-points="${points}" xmlns="http://www.w3.org/2000/svg" ` +
    `viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">`;
  const title =
    `<text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${esc(spec.title)}</text>` +
    `<text x="${PAD.left}" y="34" font-size="10" fill="#555">${esc(spec.note)}</text>`;
  if (!measured) {
    return (
      `${head}<rect class="not-measured-panel" x="1" y="1" width="${W - 2}" height="${H - 2}" fill="#fdecea" stroke="${RED}" stroke-width="2"/>${title}` +
      `<text class="no-data" x="${W / 2}" y="${H / 2}" font-size="26" font-weight="bold" fill="${RED}" text-anchor="middle">NOT MEASURED</text>` +
      `<text x="${W / 2}" y="${H / 2 + 26}" font-size="12" fill="${RED}" text-anchor="middle">${esc(spec.reason ?? 'no data in the run window')}</text></svg>`
    );
  }
  const [t0, t1] = spec.range;
  const values = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const vmax = niceMax(Math.max(...values, spec.threshold) * 1.1);
  const x = (t: number) =>
    PAD.left + ((Math.min(Math.max(t, t0), t1) - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / vmax) * (H - PAD.top - PAD.bottom);
  const band =
    `<rect class="run-window" x="${x(spec.run[0]).toFixed(1)}" y="${PAD.top}" width="${(x(spec.run[1]) - x(spec.run[0])).toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="#eef3fb"/>` +
    `<text x="${(x(spec.run[0]) + 4).toFixed(1)}" y="${PAD.top + 12}" font-size="10" fill="#4a6fa5">run ${clock(spec.run[0])}–${clock(spec.run[1])}</text>`;
  const axes = [
    ...valueAxes({ W, H, PAD }, y, vmax, spec.format),
    `<text x="${PAD.left}" y="${H - PAD.bottom + 14}" font-size="11">${clock(t0)}</text>`,
    `<text x="${W - PAD.right}" y="${H - PAD.bottom + 14}" font-size="11" text-anchor="end">${clock(t1)} UTC</text>`,
  ];
  const threshold =
    `<line class="threshold" x1="${PAD.left}" y1="${y(spec.threshold)}" x2="${W - PAD.right}" y2="${y(spec.threshold)}" stroke="${RED}" stroke-dasharray="6 4"/>` +
    `<text x="${W - PAD.right}" y="${y(spec.threshold) - 4}" font-size="11" fill="${RED}" text-anchor="end">SLO ${esc(spec.format(spec.threshold))}</text>`;
  const lines = spec.series.slice(0, MAX_SERIES).map((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    // A lone sample has no line to draw: a dot keeps it visible.
    const dots =
      s.points.length < 2
        ? s.points
            .map(([t, v]) => `<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"/>`)
            .join('')
        : '';
    const legend = `<text x="${PAD.left + (i % 3) * 210}" y="${H - 22 + Math.floor(i / 3) * 14}" font-size="10" fill="${color}">${esc(s.name)}</text>`;
    return `<path class="series" data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="${i ? 1.2 : 2.4}"/>${dots}${legend}`;
  });
  return `${head}${title}${band}${axes.join('')}${threshold}${lines.join('')}</svg>`;
}
