// Grafana template variables in dashboard queries: replaced so the query parses as Prometheus will
// run it, with a map back to the text as written (a window of `$__rate_interval` is not a fixed `5m`).

/** A dashboard expression with its Grafana variables replaced, and a way back to the text as written. */
export interface Substituted {
  readonly text: string;
  /** The original text behind `text.slice(from, to)`: a variable's name where one was substituted. */
  readonly original: (from: number, to: number) => string;
}

// Interval variables become a duration, `*_ms`/`_s` variants a number, anything else `.*` (they sit
// in label-matcher strings like `job=~"$job"`).
const GRAFANA_VARIABLE =
  /(\$\{__(?:interval|range)_(?:ms|s)\}|\$__(?:interval|range)_(?:ms|s)\b)|(\$\{__(?:rate_interval|interval|range)(?::[^}]*)?\}|\$__(?:rate_interval|interval|range)\b)|(\$\{[A-Za-z_]\w*(?::[^}]*)?\}|\$[A-Za-z_]\w*|\[\[[A-Za-z_]\w*(?::[^\]]*)?\]\])/g;

/** Grafana template variables replaced so a dashboard query parses as Prometheus will run it. */
export function substituteWithOriginal(expr: string): Substituted {
  // Each replacement: where it sits in the new text, and what it replaced.
  const spans: { at: number; length: number; from: number; was: string }[] = [];
  let shift = 0;
  const text = expr.replace(
    GRAFANA_VARIABLE,
    (
      match: string,
      number: string | undefined,
      duration: string | undefined,
      _other: string | undefined,
      offset: number,
    ) => {
      const value = number ? '300' : duration ? '5m' : '.*';
      spans.push({ at: offset + shift, length: value.length, from: offset, was: match });
      shift += value.length - match.length;
      return value;
    },
  );
  const toOriginal = (pos: number, end: boolean): number => {
    let delta = 0;
    for (const sp of spans) {
      if (pos < sp.at || (end && pos === sp.at)) break;
      if (pos < sp.at + sp.length || (end && pos === sp.at + sp.length)) return end ? sp.from + sp.was.length : sp.from;
      delta = sp.from + sp.was.length - (sp.at + sp.length);
    }
    return pos + delta;
  };
  return { text, original: (from, to) => expr.slice(toOriginal(from, false), toOriginal(to, true)) };
}

export const substituteGrafanaVariables = (expr: string): string => substituteWithOriginal(expr).text;

/**
 * The dashboard's own variables a text reads (`$job`, `${job:regex}`, `[[job]]`), in order of first use;
 * Grafana's globals (`$__interval`, `${__from}`, ...) are not among them.
 */
export function userVariables(text: string): string[] {
  const names = [
    ...text.matchAll(/\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...new Set(names.filter((n) => !n.startsWith('__')))];
}
