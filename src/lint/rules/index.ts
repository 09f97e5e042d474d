// The lint's one list of rules, in the order docs/verify.md describes them. Adding a rule means
// adding it here; the lint, the docs table and the tests all read this list.
import { rule, type LintRule } from '../rule.js';
import { alertMetadata, alertTests } from './alerts.js';
import { prometheusConfig } from './config.js';
import {
  alertTable,
  dashboardLinks,
  healthPanel,
  jobVariable,
  schemaVersion,
  tableFormat,
} from './dashboard-reading.js';
import { labelExists, labelValue, metricExists, promqlParse, quantileOnBuckets, rateOnCounter } from './expressions.js';
import { loadRunFilter } from './load-run-filter.js';
import { panelShapeRule } from './panels.js';
import { unusedRecordingRule } from './recording.js';
import { runbookContentRule } from './runbook-content.js';
import { runbookNumbers } from './runbook-numbers.js';
import { runbookPromqlRule } from './runbook-promql.js';
import { runbookSection } from './runbooks.js';
import { sloPanel, sloScope } from './slo-panels.js';
import { templateVariable } from './template-variables.js';
import { uniqueIdsRule } from './unique-ids.js';
import { panelUnit } from './units.js';
import { rangeWindow } from './windows.js';

/** The loader's findings: a generated file that could not be read is reported, not a crash. */
const fileParse = rule({
  id: 'file-parse',
  severity: 'error',
  summary: 'a generated file that does not parse or lacks the expected structure',
  check: (ctx) => ctx.project.parseFindings,
});

export const LINT_RULES: readonly LintRule[] = [
  fileParse,
  promqlParse,
  metricExists,
  rateOnCounter,
  quantileOnBuckets,
  labelExists,
  labelValue,
  unusedRecordingRule,
  uniqueIdsRule,
  alertMetadata,
  runbookSection,
  runbookContentRule,
  runbookPromqlRule,
  runbookNumbers,
  alertTests,
  panelShapeRule,
  sloPanel,
  sloScope,
  healthPanel,
  tableFormat,
  alertTable,
  jobVariable,
  templateVariable,
  loadRunFilter,
  schemaVersion,
  dashboardLinks,
  panelUnit,
  rangeWindow,
  prometheusConfig,
];
