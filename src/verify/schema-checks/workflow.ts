// GitHub Actions workflows against SchemaStore's schema (a fallback: actionlint checks far more).
import type { Finding } from '../../kernel/findings.js';
import { at, finding, isRecord, run, schemaRef, toJson } from './issues.js';
import { SCHEMA_RULES, validatorFor, WORKFLOW_SCHEMA } from './registry.js';

/**
 * Validates a GitHub Actions workflow (parsed YAML) against schemas/github/github-workflow.json.
 * The schema is a fallback: actionlint checks far more (see schemas/README.md).
 */
export function validateWorkflow(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(WORKFLOW_SCHEMA), data, schemaRef(WORKFLOW_SCHEMA)).map((issue) => {
    const m = /^\/jobs\/([^/]+)(?:\/steps\/(\d+))?/.exec(issue.pointer);
    let object = 'workflow';
    if (m) {
      const job = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
      object = `job ${job}`;
      if (m[2] !== undefined) {
        const step = at(data, `/jobs/${m[1]}/steps/${m[2]}`);
        object += ` / step #${m[2]}${isRecord(step) && typeof step.name === 'string' ? ` "${step.name}"` : ''}`;
      }
    }
    return finding(SCHEMA_RULES.workflow, file, object, issue);
  });
}
