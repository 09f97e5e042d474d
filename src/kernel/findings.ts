// The one shape every check reports in, so that lint, schema and drift findings print alike.
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Short id of the rule that produced the finding, e.g. `metric-exists`. */
  readonly rule: string;
  /** Path of the offending file, relative to the project root. */
  readonly file: string;
  /** 1-based line in `file`, when the finding has one (type errors): `file:line` in text, `line=` in annotations. */
  readonly line?: number;
  /** The object inside the file: `alert Http5xxRatioHigh`, `dashboard api-overview / panel 3 "Request rate"`. */
  readonly object: string;
  readonly message: string;
  /** What to do about it, as an instruction. */
  readonly fix: string;
  /** `error` when left out. A warning is reported but fails nothing. */
  readonly severity?: Severity;
}

export type FindingFormat = 'text' | 'github';

export const severityOf = (f: Finding): Severity => f.severity ?? 'error';

/** The findings that fail a check: every one but the warnings. */
export const errorsOf = <F extends Finding>(findings: readonly F[]): F[] =>
  findings.filter((f) => severityOf(f) === 'error');

export function formatFinding(f: Finding, format: FindingFormat): string {
  const warning = severityOf(f) === 'warning';
  if (format === 'github') {
    // GitHub workflow command: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
    const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
    return `::${warning ? 'warning' : 'error'} file=${prop(f.file)}${f.line ? `,line=${f.line}` : ''},title=${prop(`${f.rule}: ${f.object}`)}::${esc(`${f.message} Fix: ${f.fix}`)}`;
  }
  return `${f.file}${f.line ? `:${f.line}` : ''}: ${f.object}: ${warning ? 'warning: ' : ''}${f.message} [${f.rule}]\n  fix: ${f.fix}`;
}

/** A finding as `--format json` prints it: every field present (`line` null without one), the severity spelled out. */
export interface FindingJson {
  readonly file: string;
  readonly line: number | null;
  readonly object: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

export const findingJson = (f: Finding): FindingJson => ({
  file: f.file,
  line: f.line ?? null,
  object: f.object,
  rule: f.rule,
  severity: severityOf(f),
  message: f.message,
  fix: f.fix,
});
