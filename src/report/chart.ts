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

/** The x and y axis lines, the value ticks ("nice" steps from 0 to `vmax`) and their grid lines. */
export function valueAxes(
  frame: { readonly W: number; readonly H: number; readonly PAD: typeof PAD },
  y: (v: number) => number,
  vmax: number,
  format: (v: number) => string,
): string[] {
  const { W: w, H: h, PAD: p } = frame;
  return [
    ...valueTicks(vmax).map(
      (v) =>
        `<line class="y-grid" x1="${p.left}" y1="${y(v).toFixed(1)}" x2="${w - p.right}" y2="${y(v).toFixed(1)}" stroke="#eee"/>` +
        `<text class="y-tick" x="${p.left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${esc(format(v))}</text>`,
    ),
    `<line x1="${p.left}" y1="${h - p.bottom}" x2="${w - p.right}" y2="${h - p.bottom}" stroke="#888"/>`,
    `<line x1="${p.left}" y1="${p.top}" x2="${p.left}" y2="${h - p.bottom}" stroke="#888"/>`,
  ];
}

/** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `v`. */
const niceCeil = (v: number): number => {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v * (1 - 1e-9))!;
};

/** The axis top: the data's max rounded up to 1, 2, 2.5 or 5 times a power of ten, so ticks read cleanly. */
export function niceMax(v: number): number {
  return v > 0 ? niceCeil(v) : 1;
}

/** Ticks from 0 to `vmax` in a nice step, four to six of them. */
export function valueTicks(vmax: number): number[] {
  const step = niceCeil(vmax / 5);
  return Array.from({ length: Math.floor(vmax / step + 1e-9) + 1 }, (_, k) => Number((k * step).toPrecision(6)));
}

/** A threshold further than this above the data would squash the data flat: the axis fits the data, the threshold is noted. */
const THRESHOLD_REACH = 3;

/** The value axis's top, and whether the threshold is on it: the data stays readable however far the SLO is above it. */
export function valueScale(dataMax: number, threshold: number): { vmax: number; thresholdOnAxis: boolean } {
  if (!(dataMax > 0) || threshold <= dataMax * THRESHOLD_REACH)
    return { vmax: niceMax(Math.max(dataMax, threshold) * 1.1), thresholdOnAxis: true };
  return { vmax: niceMax(dataMax * 1.1), thresholdOnAxis: false };
}

/** Steps a time axis may tick in, seconds. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const MAX_TIME_TICKS = 8;

/** Ticks on whole multiples of a step, at most eight across [t0, t1] (unix seconds). */
export function timeTicks(t0: number, t1: number): number[] {
  const span = Math.max(1, t1 - t0);
  const step = TIME_STEPS.find((s) => span / s < MAX_TIME_TICKS) ?? Math.ceil(span / MAX_TIME_TICKS / 86400) * 86400;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return ticks;
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
  const { vmax, thresholdOnAxis } = valueScale(Math.max(...values), spec.threshold);
  const x = (t: number) =>
    PAD.left + ((Math.min(Math.max(t, t0), t1) - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (Math.min(v, vmax) / vmax) * (H - PAD.top - PAD.bottom);
  const band = (cls: string, from: number, to: number, fill: string) =>
    `<rect class="${cls}" x="${x(from).toFixed(1)}" y="${PAD.top}" width="${(x(to) - x(from)).toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="${fill}"/>`;
  // The gate judged the run window only: the scrape after it is drawn, shaded apart and said so.
  const outside = (
    [
      [t0, spec.run[0]],
      [spec.run[1], t1],
    ] as const
  )
    .filter(([a, b]) => b > a)
    .map(
      ([a, b]) =>
        band('not-judged', a, b, '#f1f1f1') +
        (x(b) - x(a) >= 70
          ? `<text class="not-judged-label" x="${(x(a) + 4).toFixed(1)}" y="${PAD.top + 12}" font-size="10" fill="#666">${a >= spec.run[1] ? 'after the run' : 'before the run'}: not judged</text>`
          : ''),
    );
  const judged =
    band('run-window', spec.run[0], spec.run[1], '#eef3fb') +
    `<text x="${(x(spec.run[0]) + 4).toFixed(1)}" y="${PAD.top + 12}" font-size="10" fill="#4a6fa5">judged run ${clock(spec.run[0])}–${clock(spec.run[1])}</text>`;
  const axes = [
    ...valueAxes({ W, H, PAD }, y, vmax, spec.format),
    ...timeTicks(t0, t1).map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="${H - PAD.bottom}" x2="${x(t).toFixed(1)}" y2="${H - PAD.bottom + 4}" stroke="#888"/>` +
        `<text class="x-tick" x="${x(t).toFixed(1)}" y="${H - PAD.bottom + 15}" font-size="11" text-anchor="${x(t) > W - PAD.right - 30 ? 'end' : 'middle'}">${clock(t)}</text>`,
    ),
    `<text x="8" y="${H - PAD.bottom + 15}" font-size="10" fill="#555">UTC</text>`,
  ];
  const thresholdText = `SLO ${esc(spec.format(spec.threshold))}`;
  const threshold = thresholdOnAxis
    ? `<line class="threshold" x1="${PAD.left}" y1="${y(spec.threshold)}" x2="${W - PAD.right}" y2="${y(spec.threshold)}" stroke="${RED}" stroke-dasharray="6 4"/>` +
      `<text x="${W - PAD.right}" y="${y(spec.threshold) - 4}" font-size="11" fill="${RED}" text-anchor="end">${thresholdText}</text>`
    : `<text class="threshold off-axis" x="${W - PAD.right}" y="${PAD.top - 4}" font-size="11" fill="${RED}" text-anchor="end">${thresholdText}: above this axis (scaled to the data)</text>`;
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
  return `${head}${title}${outside.join('')}${judged}${axes.join('')}${threshold}${lines.join('')}</svg>`;
}
