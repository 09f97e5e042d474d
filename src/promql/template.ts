// The subset of Prometheus' alert template language our annotations use, rendered the way
// Prometheus renders it. Alert unit tests compare annotations byte for byte, so the expected text
// of each test case is computed here from the value the case is built to produce.

/**
 * Rounds |v| to `prec` significant digits the way Go's strconv does: on the exact decimal value,
 * ties to even (JavaScript's toExponential rounds ties up, so 12345 would give 1.235e+04).
 */
function roundSignificant(v: number, prec: number): { digits: string; exp: number } {
  const [mant, expText] = Math.abs(v).toExponential(99).split('e') as [string, string];
  const all = mant.replace('.', '');
  let digits = all.slice(0, prec);
  let exp = Number(expText);
  const rest = all.slice(prec);
  const half = rest[0] === '5' && /^0*$/.test(rest.slice(1));
  const up = rest[0]! > '5' || (rest[0] === '5' && !half) || (half && Number(digits.at(-1)) % 2 === 1);
  if (up) {
    const bumped = (BigInt(digits) + 1n).toString();
    if (bumped.length > prec) {
      digits = bumped.slice(0, prec);
      exp += 1;
    } else {
      digits = bumped.padStart(prec, '0');
    }
  }
  return { digits, exp };
}

/** Go's `%.<prec>g`: exponent form when exp < -4 or exp >= prec, trailing zeros removed. */
export function goFormatG(v: number, prec = 4): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = roundSignificant(v, prec);
  const trimmed = digits.replace(/0+$/, '') || '0';
  if (exp < -4 || exp >= prec) {
    const mantissa = trimmed.length > 1 ? `${trimmed[0]}.${trimmed.slice(1)}` : trimmed;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${trimmed}`;
  const intPart = trimmed.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = trimmed.slice(exp + 1);
  return `${sign}${intPart}${frac ? `.${frac}` : ''}`;
}

function scaled(v: number, up: readonly string[], down: readonly string[]): string {
  if (v === 0 || !Number.isFinite(v)) return goFormatG(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of up) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of down) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return goFormatG(v) + prefix;
}

const SI_UP = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_DOWN = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

export const humanize = (v: number): string => scaled(v, SI_UP, SI_DOWN);
export const humanizePercentage = (v: number): string => `${goFormatG(v * 100)}%`;

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goFormatG(v);
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(v));
    const [d, h, m, s] = [
      Math.trunc(total / 86400),
      Math.trunc(total / 3600) % 24,
      Math.trunc(total / 60) % 60,
      total % 60,
    ];
    if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${goFormatG(Math.abs(v))}s`;
  }
  return `${scaled(v, [], SI_DOWN)}s`;
}

const FUNCTIONS: Record<string, (v: number) => string> = { humanize, humanizePercentage, humanizeDuration };

/**
 * Renders `{{ $value | fn }}` and `{{ $labels.name }}`; anything else (a bare `{{ $value }}` prints
 * Go's float formatting) is refused, so annotations stay readable and their expected text computable.
 */
export function renderTemplate(template: string, value: number, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, body: string) => {
    const pipe = /^\$value\s*\|\s*(\w+)$/.exec(body);
    if (pipe) {
      const fn = FUNCTIONS[pipe[1]!];
      if (!fn)
        throw new Error(`template function "${pipe[1]}" is not supported; use ${Object.keys(FUNCTIONS).join(', ')}`);
      return fn(value);
    }
    const label = /^\$labels\.(\w+)$/.exec(body);
    if (label) return labels[label[1]!] ?? '';
    throw new Error(`template "{{ ${body} }}" is not supported in annotations`);
  });
}
