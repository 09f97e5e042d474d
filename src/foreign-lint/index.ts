// `stressgate lint --foreign FILE...`: pint's offline checks on any team's rule files or
// PrometheusRule manifests, with no catalog and no Prometheus: the config a team already has.
// Exit codes: 0 no errors (warnings are shown), 1 an error-level finding, 2 bad usage or a file
// that does not parse (UsageError, printed without a stack trace).
import { parseArgs } from 'node:util';
import { parsePromDuration } from '../kernel/duration.js';
import { formatFinding, severityOf, type Finding, type FindingFormat } from '../kernel/findings.js';
import { UsageError } from '../usage-error.js';
import { loadForeignRules, type ForeignContext } from './context.js';
import { FOREIGN_CHECKS } from './registry.js';
import { plural } from '../kernel/words.js';

export { FOREIGN_CHECKS } from './registry.js';
export type { ForeignCheck, ForeignContext, ForeignRule } from './context.js';

export const FOREIGN_LINT_HELP = `stressgate lint --foreign FILE... [--scrape-interval 1m] [--format text|github]

Lints rule files (or Kubernetes manifests holding PrometheusRules) of any team, offline, with no
metric catalog: pint's checks that need no Prometheus. Each finding names its file, rule and check:
${FOREIGN_CHECKS.map((c) => `  ${c.id.padEnd(18)} ${c.severity.padEnd(8)} ${c.summary}`).join('\n')}

Options:
  --scrape-interval D  how often the targets are scraped (default 1m, Prometheus's default)
  --format F           text (default) | github (workflow annotations)

Exit codes: 0 no errors (warnings are shown), 1 an error was found, 2 bad usage or a file that does not parse.`;

/** Runs every check; each finding carries its check's id and severity (or the problem's own). */
export function lintForeign(ctx: ForeignContext): Finding[] {
  return FOREIGN_CHECKS.flatMap((c) =>
    c.check(ctx).map((p) => ({ ...p, rule: c.id, severity: p.severity ?? c.severity })),
  );
}

export async function runForeignLint(argv: string[], print = (s: string) => console.log(s)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv.filter((a) => a !== 'lint'),
    allowPositionals: true,
    options: {
      foreign: { type: 'boolean' },
      'scrape-interval': { type: 'string', default: '1m' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    print(FOREIGN_LINT_HELP);
    return 0;
  }
  const interval = parsePromDuration(values['scrape-interval']);
  if (!interval)
    throw new UsageError(
      `--scrape-interval: "${values['scrape-interval']}" is not a Prometheus duration (e.g. 30s, 1m)`,
    );
  if (values.format !== 'text' && values.format !== 'github')
    throw new UsageError(`--format must be text or github, not "${values.format}"`);
  if (!positionals.length) throw new UsageError(`lint --foreign: name the rule files to lint\n\n${FOREIGN_LINT_HELP}`);
  const rules = await loadForeignRules(positionals, parsePromDuration);
  const findings = lintForeign({ rules, scrapeInterval: interval });
  for (const f of findings) print(formatFinding(f, values.format as FindingFormat));
  const errors = findings.filter((f) => severityOf(f) === 'error').length;
  print(
    `lint --foreign: ${rules.length} rules in ${plural(positionals.length, 'file')}, ${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}`,
  );
  return errors ? 1 : 0;
}
