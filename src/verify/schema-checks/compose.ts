// Docker Compose files against the compose-spec schema.
import type { Finding } from '../../kernel/findings.js';
import { finding, run, schemaRef, toJson } from './issues.js';
import { COMPOSE_SCHEMA, SCHEMA_RULES, validatorFor } from './registry.js';

/** Validates a Docker Compose file (parsed YAML) against schemas/compose/compose-spec.json. */
export function validateCompose(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(COMPOSE_SCHEMA), data, schemaRef(COMPOSE_SCHEMA)).map((issue) => {
    const m = /^\/(services|networks|volumes|secrets|configs|models)\/([^/]+)/.exec(issue.pointer);
    const object = m ? `${m[1]!.replace(/s$/, '')} ${m[2]!.replace(/~1/g, '/').replace(/~0/g, '~')}` : 'compose file';
    return finding(SCHEMA_RULES.compose, file, object, issue);
  });
}
