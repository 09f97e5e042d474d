// Schema validation of generated and hand-written artefacts against the vendored upstream JSON Schemas
// (schemas/README.md), one module per artefact kind. Every problem is reported as a `Finding`.
export {
  compileAllSchemas,
  DATASOURCE_SCHEMAS,
  PANEL_SCHEMAS,
  SCHEMA_DIR,
  SCHEMA_RULES,
  schemaMetaProblems,
} from './registry.js';
export { validateCompose } from './compose.js';
export { validateDashboard } from './dashboard.js';
export { closeStructural, crdSchema, crdValidator, CRD_SCHEMAS } from './crds.js';
export { parseManifests, validateKubernetesFiles, validateManifest, type Manifest } from './kubernetes.js';
export { sortFindings, validateProjectSchemas } from './project.js';
export { validateRuleFile, validateRuleTestFile } from './rules.js';
export { validateWorkflow } from './workflow.js';
