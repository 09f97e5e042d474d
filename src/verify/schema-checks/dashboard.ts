// Grafana dashboards against the dashboard schema, each panel's options/fieldConfig against its
// type's schema, each target against its datasource's query schema.
import type { Finding } from '../../kernel/findings.js';
import { finding, isRecord, replaceUnder, run, schemaRef, toJson, type Issue } from './issues.js';
import {
  DASHBOARD_SCHEMA,
  DATASOURCE_SCHEMAS,
  hasDefinition,
  PANEL_SCHEMAS,
  SCHEMA_RULES,
  validatorFor,
} from './registry.js';

/**
 * Fields the SDK types as `any` (a byName matcher's options is the field name; an override's value is
 * a unit, a mapping list, a link list) that its generated JSON Schema renders as `object`: the schema's
 * type is wrong there, not the dashboard (see schemas/README.md).
 */
const ANY_TYPED = /\/fieldConfig\/overrides\/\d+\/(?:matcher\/options|properties\/\d+\/value)$/;

/**
 * Validates a dashboard (the JSON model, as provisioned) against the dashboard schema, then every panel
 * (rows' nested panels included) against the Panel/RowPanel definitions, its type's `Options` and
 * `FieldConfig` definitions, every target against its datasource's query schema, and the things Grafana
 * needs that the schemas leave optional (panel `id`, target `refId`, a datasource for each target).
 */
export function validateDashboard(file: string, dashboard: unknown): Finding[] {
  const data = toJson(dashboard);
  const findings: Finding[] = [];
  const dash = isRecord(data) ? data : {};
  const dashName = `dashboard ${typeof dash.uid === 'string' && dash.uid ? dash.uid : typeof dash.title === 'string' ? `"${dash.title}"` : '(no uid)'}`;

  let issues = run(validatorFor(DASHBOARD_SCHEMA), data, schemaRef(DASHBOARD_SCHEMA));
  const panels = Array.isArray(dash.panels) ? dash.panels : [];
  // Panels are validated one by one below, against the definition that fits their type.
  panels.forEach((_, i) => (issues = replaceUnder(issues, `/panels/${i}`, [])));
  for (const issue of issues) findings.push(finding(SCHEMA_RULES.dashboard, file, dashName, issue));

  const checkPanel = (panel: unknown, pointer: string, inRow: boolean): void => {
    const p = isRecord(panel) ? panel : {};
    const idPart = typeof p.id === 'number' ? `panel ${p.id}` : `panel ${pointer}`;
    const object = `${dashName} / ${idPart}${typeof p.title === 'string' ? ` "${p.title}"` : ''}`;
    const add = (rule: string, issue: Issue) => findings.push(finding(rule, file, object, issue));
    const isRow = p.type === 'row' && !inRow;

    const def = isRow ? '#/definitions/RowPanel' : '#/definitions/Panel';
    const shallow = isRow && Array.isArray(p.panels) ? { ...p, panels: [] } : panel;
    for (const issue of run(
      validatorFor(DASHBOARD_SCHEMA, def),
      shallow,
      schemaRef(DASHBOARD_SCHEMA, def),
      data,
      pointer,
    )) {
      if (!(issue.keyword === 'type' && ANY_TYPED.test(issue.pointer))) add(SCHEMA_RULES.dashboard, issue);
    }
    if (!isRecord(panel)) return;

    if (isRow) {
      (Array.isArray(p.panels) ? p.panels : []).forEach((child, i) =>
        checkPanel(child, `${pointer}/panels/${i}`, true),
      );
      return;
    }
    if (typeof p.type !== 'string') return; // the Panel definition already reported it
    if (p.type === 'row') {
      add(SCHEMA_RULES.panelType, {
        pointer: `${pointer}/type`,
        keyword: 'row',
        message: 'a row panel cannot be nested inside another row',
        fix: `Move ${pointer} out of its row to the dashboard's top-level panels.`,
      });
      return;
    }
    const panelSchema = PANEL_SCHEMAS[p.type];
    if (!panelSchema) {
      add(SCHEMA_RULES.panelType, {
        pointer: `${pointer}/type`,
        keyword: 'panelType',
        message: `panel type "${p.type}" has no schema (known: ${Object.keys(PANEL_SCHEMAS).join(', ')})`,
        fix: `Use one of the known panel types, or vendor the panel's jsonschema into schemas/grafana/ and add it to PANEL_SCHEMAS in src/verify/schema-checks/registry.ts.`,
      });
    } else {
      if (p.options !== undefined) {
        const frag = '#/definitions/Options';
        for (const issue of run(
          validatorFor(panelSchema.file, frag),
          p.options,
          schemaRef(panelSchema.file, frag),
          data,
          `${pointer}/options`,
        )) {
          add(SCHEMA_RULES.panelOptions, issue);
        }
      }
      const fc = p.fieldConfig;
      const custom = isRecord(fc) && isRecord(fc.defaults) ? fc.defaults.custom : undefined;
      if (custom !== undefined && panelSchema.fieldConfig) {
        const frag = '#/definitions/FieldConfig';
        for (const issue of run(
          validatorFor(panelSchema.file, frag),
          custom,
          schemaRef(panelSchema.file, frag),
          data,
          `${pointer}/fieldConfig/defaults/custom`,
        )) {
          add(SCHEMA_RULES.panelFieldConfig, issue);
        }
      }
    }

    (Array.isArray(p.targets) ? p.targets : []).forEach((target, i) => {
      checkTarget(target, `${pointer}/targets/${i}`, p.datasource, (rule, issue, refId) =>
        findings.push(finding(rule, file, `${object} / target ${refId ?? `#${i}`}`, issue)),
      );
    });
  };

  const checkTarget = (
    target: unknown,
    pointer: string,
    panelDatasource: unknown,
    add: (rule: string, issue: Issue, refId?: string) => void,
  ): void => {
    if (!isRecord(target)) return; // the Panel definition reports non-object targets
    const refId = typeof target.refId === 'string' && target.refId ? target.refId : undefined;
    const ds = isRecord(target.datasource)
      ? target.datasource
      : isRecord(panelDatasource)
        ? panelDatasource
        : undefined;
    const dsType = typeof ds?.type === 'string' ? ds.type : undefined;
    if (!dsType) {
      add(
        SCHEMA_RULES.targetDatasource,
        {
          pointer,
          keyword: 'datasource',
          message:
            'target has no datasource type (neither target.datasource.type nor the panel datasource.type is set)',
          fix: `Set ${pointer}/datasource to {"type": "prometheus", "uid": "\${datasource}"} (or the datasource the query is for).`,
        },
        refId,
      );
      return;
    }
    const dsFile = DATASOURCE_SCHEMAS[dsType];
    if (!dsFile) {
      add(
        SCHEMA_RULES.targetDatasource,
        {
          pointer: isRecord(target.datasource) ? `${pointer}/datasource/type` : pointer,
          keyword: 'datasource',
          message: `datasource type "${dsType}" has no query schema (known: ${Object.keys(DATASOURCE_SCHEMAS).join(', ')})`,
          fix: `Use a known datasource type, or vendor its jsonschema into schemas/grafana/ and add it to DATASOURCE_SCHEMAS in src/verify/schema-checks/registry.ts.`,
        },
        refId,
      );
      return;
    }
    // Server-side expressions are a oneOf over the expression types: pick the branch by `type` for readable errors.
    let frag = '';
    if (dsType === '__expr__' && typeof target.type === 'string') {
      const name = `Type${target.type.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;
      if (hasDefinition(dsFile, name)) frag = `#/definitions/${name}`;
    }
    for (const issue of run(validatorFor(dsFile, frag), target, schemaRef(dsFile, frag), data, pointer)) {
      add(SCHEMA_RULES.target, issue, refId);
    }
  };

  panels.forEach((panel, i) => checkPanel(panel, `/panels/${i}`, false));
  return findings;
}
