// Which way a dashboard threshold moved. Only the panel's own colours say which way is bad: steps
// going green → orange → red mean a higher value is worse, so a step raised turns red later
// (looser); red → green (availability, success ratio) means the opposite. The unit alone does not
// say it (an uptime in seconds is good when high), so without ordered colours there is no verdict.
import type { ThresholdStepChange } from './types.js';
import { isRecord } from './util.js';

interface Step {
  readonly color?: string;
  readonly value: number | null;
}

const NAMED: ReadonlyArray<[RegExp, number]> = [
  [/red/, 2],
  [/orange|yellow/, 1],
  [/green/, 0],
];

/** 0 fine, 1 warning, 2 bad; undefined for colours that say neither (blue, white, text). */
export function colourRank(colour: string | undefined): number | undefined {
  if (!colour) return undefined;
  const c = colour.toLowerCase().trim();
  for (const [re, rank] of NAMED) if (re.test(c)) return rank;
  const hex = /^#([0-9a-f]{6})$/.exec(c)?.[1];
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(c);
  const [r, g, b] = hex
    ? [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16))
    : rgb
      ? [rgb[1], rgb[2], rgb[3]].map(Number)
      : [];
  if (r === undefined || g === undefined || b === undefined) return undefined;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 60) return undefined; // grey, white, black: no meaning
  if (max === b) return undefined; // blue, purple: neutral
  const hue = max === r ? (60 * (g - b)) / (max - min) : 120 + (60 * (b - r)) / (max - min);
  const h = (hue + 360) % 360;
  return h < 20 || h > 330 ? 2 : h < 70 ? 1 : h < 170 ? 0 : undefined;
}

function stepsOf(fieldConfigRest: unknown): Step[] {
  const defaults = isRecord(fieldConfigRest) ? fieldConfigRest.defaults : undefined;
  const thresholds = isRecord(defaults) ? defaults.thresholds : undefined;
  const steps = isRecord(thresholds) && Array.isArray(thresholds.steps) ? thresholds.steps : [];
  return steps.filter(isRecord).map((s) => ({
    ...(typeof s.color === 'string' ? { color: s.color } : {}),
    value: typeof s.value === 'number' ? s.value : null,
  }));
}

/** 1 when higher values are worse, -1 when they are better, 0 when the colours do not say. */
export function badDirection(steps: readonly Step[]): 1 | -1 | 0 {
  const ranks = steps.map((s) => colourRank(s.color));
  if (ranks.length < 2 || ranks.some((r) => r === undefined)) return 0;
  const rs = ranks as number[];
  const rising = rs.every((r, i) => i === 0 || r >= rs[i - 1]!);
  const falling = rs.every((r, i) => i === 0 || r <= rs[i - 1]!);
  if (rising && rs[rs.length - 1]! > rs[0]!) return 1;
  if (falling && rs[rs.length - 1]! < rs[0]!) return -1;
  return 0;
}

/** The threshold steps whose value changed, judged where the panel's colours allow. */
export function diffThresholdSteps(base: unknown, head: unknown): ThresholdStepChange[] {
  const a = stepsOf(base);
  const b = stepsOf(head);
  const direction = badDirection(a) || badDirection(b);
  const same = badDirection(a) === badDirection(b) || !badDirection(a) || !badDirection(b);
  const out: ThresholdStepChange[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x && y && x.value === y.value) continue;
    const colour = y?.color ?? x?.color;
    let verdict: ThresholdStepChange['verdict'];
    if (x && y && x.value !== null && y.value !== null && direction && same && a.length === b.length) {
      const raised = y.value > x.value;
      verdict = raised === (direction === 1) ? 'looser' : 'stricter';
    }
    out.push({
      index: i,
      ...(colour !== undefined ? { color: colour } : {}),
      ...(x ? { old: x.value } : {}),
      ...(y ? { new: y.value } : {}),
      ...(verdict ? { verdict } : {}),
    });
  }
  return out;
}
