// A CDK-style construct tree: every definition has a scope and an id, its path names it in errors,
// and synthesis walks the tree instead of module-level registries.
import type { z } from 'zod';
import { captureCallSite } from './call-site.js';

/** What an error about a definition names: the construct path and, when known, where it was written. */
export interface DefinitionSite {
  readonly path: string;
  /** `src/slos/index.ts:18`: the file and line of the `new ...` that created the construct. */
  readonly source?: string | undefined;
}

export class Construct implements DefinitionSite {
  readonly children: Construct[] = [];
  private readonly site = captureCallSite();

  constructor(
    readonly scope: Construct | undefined,
    readonly id: string,
  ) {
    if (scope) {
      if (scope.children.some((c) => c.id === id)) {
        throw new DefinitionError(this, 'id', `another construct under ${scope.path} already has id "${id}"`);
      }
      scope.children.push(this);
    }
  }

  /** `src/slos/index.ts:18`: the file and line of the `new ...` that created this construct. */
  get source(): string | undefined {
    return this.site();
  }

  get path(): string {
    return this.scope ? `${this.scope.path}/${this.id}` : this.id;
  }

  /** Every descendant that is an instance of `type`, in definition order. */
  findAll<T extends Construct>(type: abstract new (...args: never[]) => T): T[] {
    const found: T[] = [];
    const walk = (node: Construct) => {
      for (const child of node.children) {
        if (child instanceof type) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }

  /** The nearest ancestor that is an instance of `type`. */
  ancestor<T extends Construct>(type: abstract new (...args: never[]) => T): T | undefined {
    for (let node = this.scope; node; node = node.scope) if (node instanceof type) return node;
    return undefined;
  }
}

/** The root of a definition tree. */
export class App extends Construct {
  constructor(id = 'app') {
    super(undefined, id);
  }
}

/** A deployable unit (the platform's stack); groups dashboards, rules and SLOs. */
export class Stack extends Construct {}

/** A definition that fails validation; names the source line, the construct path and the field. */
export class DefinitionError extends Error {
  readonly constructPath: string;
  readonly source: string | undefined;
  constructor(
    at: DefinitionSite,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${at.source ? `${at.source} ` : ''}${at.path}: field "${field}": ${reason}`);
    this.name = 'DefinitionError';
    this.constructPath = at.path;
    this.source = at.source;
  }
}

/** Validates construct props with zod at the boundary, reporting the first issue by path. */
export function validateProps<S extends z.ZodType>(schema: S, props: unknown, at: DefinitionSite): z.infer<S> {
  const result = schema.safeParse(props);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DefinitionError(at, issue.path.join('.') || '(props)', issue.message);
  }
  return result.data;
}
