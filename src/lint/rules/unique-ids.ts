// Names that identify things elsewhere must be unique: dashboard uids are URLs and provisioning
// keys, panel ids are links and library references, alert names key runbooks, tests and silences,
// recording rule names are series that would otherwise be written twice.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { allPanels, dashboardName, panelName } from '../project.js';

function uniqueIds(ctx: LintContext): Problem[] {
  const findings: Problem[] = [];
  const finding = (file: string, object: string, message: string, fix: string): Problem => ({
    file,
    object,
    message,
    fix,
  });

  const alerts = new Map<string, string>();
  const records = new Map<string, string>();
  for (const file of ctx.project.ruleFiles) {
    for (const rule of file.groups.flatMap((g) => g.rules)) {
      if (rule.record) {
        const first = records.get(rule.record);
        if (first)
          findings.push(
            finding(
              file.path,
              `recording rule ${rule.record}`,
              `is defined more than once (first in ${first}).`,
              `delete the duplicate ${rule.record} definition in src/recording-rules/, or rename one of them`,
            ),
          );
        else records.set(rule.record, file.path);
      } else if (rule.alert) {
        const first = alerts.get(rule.alert);
        if (first)
          findings.push(
            finding(
              file.path,
              `alert ${rule.alert}`,
              `alert name is used more than once (first in ${first}).`,
              `rename one of the ${rule.alert} alerts in src/alerts/ (and its runbook section and tests)`,
            ),
          );
        else alerts.set(rule.alert, file.path);
      }
    }
  }

  const uids = new Map<string, string>();
  for (const d of ctx.project.dashboards) {
    if (!d.uid)
      findings.push(
        finding(
          d.path,
          dashboardName(d),
          'has no uid, so Grafana makes up a new one and links break.',
          'give the dashboard construct an id (it becomes the uid)',
        ),
      );
    else if (uids.has(d.uid))
      findings.push(
        finding(
          d.path,
          dashboardName(d),
          `uid is also used by ${uids.get(d.uid)}.`,
          `change the id of one of the two dashboard constructs in src/dashboards/ so their uids differ`,
        ),
      );
    else uids.set(d.uid, d.path);

    const ids = new Map<unknown, string>();
    for (const p of allPanels(d)) {
      if (typeof p.id !== 'number') continue; // panel-shape reports it
      if (ids.has(p.id))
        findings.push(
          finding(
            d.path,
            panelName(d, p),
            `panel id ${p.id} is also used by panel "${ids.get(p.id)}".`,
            `renumber the panels of ${dashboardName(d)} so every id (row children included) is unique; the Dashboard construct numbers them`,
          ),
        );
      else ids.set(p.id, p.title ?? '');
    }
  }
  return findings;
}

export const uniqueIdsRule = rule({
  id: 'unique-ids',
  severity: 'error',
  summary: 'a dashboard uid, panel id, alert name or recording rule name used twice',
  check: uniqueIds,
});
