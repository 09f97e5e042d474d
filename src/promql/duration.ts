// Prometheus duration strings (`1m30s`, `5m`, `250ms`) to seconds and back, for the lint's window
// checks and the mutation tests' halved and doubled windows.
const UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/y;

/** Seconds in a Prometheus duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!text) return undefined;
  PART.lastIndex = 0;
  let seconds = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== start) return undefined;
    seconds += Number(m[1]) * UNITS[m[2]!]!;
  }
  return seconds;
}

/** The shortest Prometheus duration for a number of seconds: 150 → `2m30s`, 0.5 → `500ms`. */
export function formatDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms <= 0) return '0s';
  let out = '';
  for (const [unit, size] of [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    if (n) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}
