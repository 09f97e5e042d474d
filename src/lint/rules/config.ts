// prometheus.yml must load what synth writes: every rule file listed in rule_files (or alerts.yml is
// never evaluated, and promtool check config still says SUCCESS), every listed file present, and an
// Alertmanager configured so that a firing alert reaches someone.
import { posix } from 'node:path';
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { PATHS } from '../project.js';
import { globRegExp } from '../prometheus-config.js';

const SOURCE = 'src/synth/prometheus-config.ts';

function configProblems(ctx: LintContext): Problem[] {
  const { project } = ctx;
  const at = (object: string, message: string, fix: string): Problem => ({ file: PATHS.config, object, message, fix });
  if (!project.configExists) {
    return project.ruleFiles.length
      ? [at('file', 'is missing: nothing loads the rule files.', `generate it (${SOURCE}) and run \`make synth\``)]
      : [];
  }
  const config = project.config;
  if (!config) return []; // unreadable: the file-parse finding says why
  const dir = posix.dirname(config.path);
  const entries = config.ruleFiles.map((entry) => ({ entry, re: globRegExp(posix.normalize(posix.join(dir, entry))) }));
  // Every rule file on disk, including ones the lint could not parse (they exist all the same).
  const onDisk = [
    ...new Set([
      ...project.ruleFiles.map((f) => f.path),
      ...project.parseFindings
        .map((f) => f.file)
        .filter((f) => f.startsWith(`${PATHS.rules}/`) && !f.startsWith(`${PATHS.ruleTests}/`) && f !== config.path),
    ]),
  ];
  const findings: Problem[] = [];
  for (const file of project.ruleFiles.map((f) => f.path)) {
    if (!entries.some(({ re }) => re.test(file))) {
      const listed = config.ruleFiles.length ? `it lists ${config.ruleFiles.join(', ')}` : 'it lists none';
      findings.push(
        at(
          `rule_files`,
          `does not load ${file} (${listed}): Prometheus never evaluates its rules, and promtool check config still passes.`,
          `add ${posix.relative(dir, file)} to rule_files in ${SOURCE} and run \`make synth\``,
        ),
      );
    }
  }
  for (const { entry, re } of entries) {
    if (!onDisk.some((f) => re.test(f))) {
      findings.push(
        at(
          `rule_files`,
          `lists ${entry}, which matches no rule file under ${dir}/.`,
          `remove ${entry} from rule_files in ${SOURCE}, or generate the file it names; then run \`make synth\``,
        ),
      );
    }
  }
  if (config.alertmanagers === 0) {
    findings.push(
      at(
        'alerting.alertmanagers',
        'configures no Alertmanager with a target: alerts fire, and nobody is told.',
        `add alerting.alertmanagers with the Alertmanager's address (static_configs targets) in ${SOURCE} and run \`make synth\``,
      ),
    );
  }
  return findings;
}

export const prometheusConfig = rule({
  id: 'prometheus-config',
  severity: 'error',
  summary: 'a prometheus.yml that does not load every rule file, lists missing ones, or has no Alertmanager',
  check: configProblems,
});
