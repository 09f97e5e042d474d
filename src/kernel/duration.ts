// Durations in the two syntaxes this project reads, one parser each:
//   - Prometheus (`for:`, range windows, scrape intervals): integer parts in the order y w d h m s ms,
//     each at most once (`1d2h30m`, `500ms`), or `0` (Prometheus's model.ParseDuration);
//   - k6 (profile stages, run bounds): Go's time.ParseDuration (`1m30s`, `1.5s`, `500ms`, `250us`),
//     optionally after whole days (`1d12h`), or a bare number of milliseconds (k6's
//     types.ParseExtendedDuration).
const PROM_UNITS = [
  ['y', 31_536_000],
  ['w', 604_800],
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
  ['ms', 0.001],
] as const;
const PROM = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Seconds in a Prometheus duration (`5m`, `1h30m`, `250ms`, `1d`), or undefined when the text is not one. */
export function parsePromDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const m = PROM.exec(s);
  if (!s || !m) return undefined;
  return PROM_UNITS.reduce((total, [, size], i) => total + Number(m[i + 1] ?? 0) * size, 0);
}

/** The shortest Prometheus duration for a number of seconds: 150 → `2m30s`, 0.5 → `500ms`. */
export function formatPromDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms <= 0) return '0s';
  let out = '';
  for (const [unit, size] of [
    ['d', 86400000],
    ['h', 3600000],
    ['m', 60000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(ms / size);
    if (n) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const GO_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go's time.ParseDuration, in milliseconds. */
function goDurationMs(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') ((sign = s[0] === '-' ? -1 : 1), (s = s.slice(1)));
  if (s === '0') return 0;
  if (!s) return undefined;
  GO_PART.lastIndex = 0;
  let ms = 0;
  while (GO_PART.lastIndex < s.length) {
    const m = GO_PART.exec(s);
    if (!m) return undefined;
    ms += Number(m[1]) * GO_UNITS[m[2]!]!;
  }
  return sign * ms;
}

/** Milliseconds in a k6 duration (`30s`, `1m30s`, `1.5s`, `1d12h`, `500` = 500 ms), or undefined when k6 would refuse it. */
export function parseK6Duration(text: string): number | undefined {
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  const d = text.indexOf('d');
  if (d < 0) return goDurationMs(text);
  if (!/^[-+]?\d+$/.test(text.slice(0, d))) return undefined;
  const days = Number(text.slice(0, d));
  const rest = d + 1 < text.length ? goDurationMs(text.slice(d + 1)) : 0;
  if (rest === undefined || rest < 0) return undefined;
  return days * 86_400_000 + (days < 0 || Object.is(days, -0) ? -rest : rest);
}

/** `parseK6Duration`, throwing on what is not a k6 duration. */
export function k6DurationMs(text: string): number {
  const ms = parseK6Duration(text);
  if (ms === undefined) throw new Error(`invalid duration "${text}"`);
  return ms;
}
