// A CDK-style construct tree: every definition has a scope and an id, its path names it in errors,
// and synthesis walks the tree instead of module-level registries.
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

const PACKAGE_ROOT = join(import.meta.dirname, '../..');
const FRAME = /\(?((?:file:\/\/)?[^\s()]+\.ts):(\d+):\d+\)?$/;

export class Construct {
  readonly children: Construct[] = [];
  /** Where the definition was written; V8 formats the stack only when `definedAt` reads it. */
  private readonly site = new Error();

  constructor(
    readonly scope: Construct | undefined,
    readonly id: string,
  ) {
    if (scope) {
      if (scope.children.some((c) => c.id === id)) {
        throw new DefinitionError(`${scope.path}/${id}`, 'id', `another construct under ${scope.path} already has id "${id}"`);
      }
      scope.children.push(this);
    }
  }

  get path(): string {
    return this.scope ? `${this.scope.path}/${this.id}` : this.id;
  }

  /** `src/alerts/realtime.ts:31`: the first caller outside the construct library, for fix hints. */
  get definedAt(): string | undefined {
    for (const line of (this.site.stack ?? '').split('\n').slice(1)) {
      const m = FRAME.exec(line.trim());
      if (!m) continue;
      const file = relative(PACKAGE_ROOT, m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!).split(sep).join('/');
      if (file.startsWith('src/constructs/')) continue;
      return `${file}:${m[2]}`;
    }
    return undefined;
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

/** A definition that fails validation; names the construct path and the field. */
export class DefinitionError extends Error {
  constructor(
    readonly constructPath: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${constructPath}: field "${field}": ${reason}`);
    this.name = 'DefinitionError';
  }
}

/** Validates construct props with zod at the boundary, reporting the first issue by path. */
export function validateProps<S extends z.ZodType>(schema: S, props: unknown, constructPath: string): z.infer<S> {
  const result = schema.safeParse(props);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DefinitionError(constructPath, issue.path.join('.') || '(props)', issue.message);
  }
  return result.data;
}
