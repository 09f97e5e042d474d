// A CDK-style construct tree: every definition has a scope and an id, its path names it in errors,
// and synthesis walks the tree instead of module-level registries. Constructs register validations
// (aws-cdk's `node.addValidation`); the tree is validated once before synthesis and every problem of
// every construct is reported in one run, so a user fixes all their mistakes at once.
import type { z } from 'zod';
import { captureCallSite, fieldSite } from './call-site.js';
import { plural } from '../kernel/words.js';

/** What an error about a definition names: the construct path and, when known, where it was written. */
export interface DefinitionSite {
  readonly path: string;
  /** `src/slos/index.ts:18`: the file and line of the `new ...` that created the construct. */
  readonly source?: string | undefined;
  /** The construct's props, when it has them: a field's own line is read from them (call-site.ts). */
  readonly props?: unknown;
}

/** One thing wrong with a construct: the field, what is wrong with it, and what to write instead. */
export interface Problem {
  readonly field: string;
  readonly reason: string;
  readonly fix?: string | undefined;
}

/** A check run when the tree is validated, after every definition module has loaded. */
export interface Validation {
  validate(): readonly Problem[];
}

export class Construct implements DefinitionSite {
  readonly children: Construct[] = [];
  private readonly site = captureCallSite();
  private readonly validations: Validation[] = [];

  constructor(
    readonly scope: Construct | undefined,
    readonly id: string,
  ) {
    if (scope) {
      // Reported with the rest rather than thrown: the construct still builds, so later mistakes surface too.
      if (scope.children.some((c) => c.id === id)) {
        this.addValidation(() => [
          {
            field: 'id',
            reason: `another construct under ${scope.path} already has id "${id}"`,
            fix: 'give one of them another id',
          },
        ]);
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

  get root(): Construct {
    return this.scope ? this.scope.root : this;
  }

  addValidation(v: Validation | Validation['validate']): void {
    this.validations.push(typeof v === 'function' ? { validate: v } : v);
  }

  /** Registers a zod check of props as a validation: every issue becomes a problem (its path the field). */
  addPropsValidation(schema: z.ZodType, props: unknown): void {
    let problems: readonly Problem[] | undefined;
    // Props are read-only, so the parse is done once however often the construct is checked.
    this.addValidation(() => (problems ??= zodProblems(schema, props)));
  }

  /** This construct's own problems (not its children's). */
  problems(): DefinitionError[] {
    return this.validations.flatMap((v) =>
      collect(() => v.validate().map((p) => new DefinitionError(this, p.field, p.reason, p.fix))),
    );
  }

  /** Every problem of this construct and its descendants, depth-first in definition order. */
  validate(): DefinitionError[] {
    return [...this.problems(), ...this.children.flatMap((c) => c.validate())];
  }

  /**
   * Throws this construct's own problems now. For values other definitions use while the tree is
   * still being built (an SLO's threshold becomes its alert's tests): past that point nothing can proceed.
   */
  assertValid(): void {
    const errors = this.problems();
    if (errors.length) throw new DefinitionErrors(errors);
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

/** A validation that throws a definition error reports it with the others. */
function collect(run: () => DefinitionError[]): DefinitionError[] {
  try {
    return run();
  } catch (err) {
    if (err instanceof DefinitionError) return [err];
    if (err instanceof DefinitionErrors) return [...err.errors];
    throw err;
  }
}

type ConstructType<T extends Construct> = abstract new (...args: never[]) => T;

/** The first construct of `type` in c's tree that `same` pairs with c, when it is not c itself. */
function earlier<T extends Construct>(c: T, type: ConstructType<T>, same: (other: T) => boolean): T | undefined {
  const first = c.root.findAll(type).find(same);
  return first === c ? undefined : first;
}

/** A validation that `c` is the only construct of its type in its tree: one file is rendered from it. */
export const onlyOnePerApp =
  <T extends Construct>(c: T, type: ConstructType<T>, fix: string): Validation['validate'] =>
  () => {
    const first = earlier(c, type, () => true);
    return first ? [{ field: 'id', reason: `only one ${type.name} per app (${first.path} is the other)`, fix }] : [];
  };

/** A validation that no other construct of `type` in c's tree has its key (a dashboard uid: one file each). */
export const uniqueInTree =
  <T extends Construct>(c: T, type: ConstructType<T>, key: (x: T) => string, what: string): Validation['validate'] =>
  () => {
    const first = earlier(c, type, (o) => key(o) === key(c));
    return first
      ? [
          {
            field: 'id',
            reason: `${what} "${key(c)}" is also used by ${first.path}${first.source ? ` (${first.source})` : ''}`,
            fix: 'give one of them another id',
          },
        ]
      : [];
  };

/** Validates the whole tree once; throws every problem found as one DefinitionErrors. */
export function validateTree(root: Construct): void {
  // A check that reads an invalid construct throws that construct's problems, which its own checks report too.
  const errors = [...new Map(root.validate().map((e) => [e.message, e])).values()];
  if (errors.length) throw new DefinitionErrors(errors);
}

/** The root of a definition tree. */
export class App extends Construct {
  constructor(id = 'app') {
    super(undefined, id);
  }
}

/** A deployable unit (the platform's stack); groups dashboards, rules and SLOs. */
export class Stack extends Construct {}

/** A definition that fails validation; names the source line, the construct path, the field and the fix. */
export class DefinitionError extends Error {
  readonly constructPath: string;
  readonly source: string | undefined;
  constructor(
    at: DefinitionSite,
    readonly field: string,
    readonly reason: string,
    readonly fix?: string | undefined,
  ) {
    // The field's own line when its value noted one (`threshold: ms(350)`), else the construct's.
    const source = fieldSite(at.props, pathOf(field)) ?? at.source;
    super(`${source ? `${source} ` : ''}${at.path}: field "${field}": ${reason}${fix ? ` — fix: ${fix}` : ''}`);
    this.name = 'DefinitionError';
    this.constructPath = at.path;
    this.source = source;
  }
}

/** Every definition error of one validation, one per line under a count. */
export class DefinitionErrors extends Error {
  constructor(readonly errors: readonly DefinitionError[]) {
    super(`${plural(errors.length, 'definition error')}:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.name = 'DefinitionErrors';
  }
}

/** `queries[0].legend` → ['queries', 0, 'legend']: the inverse of fieldOf. */
const pathOf = (field: string): PropertyKey[] =>
  [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(([, key, index]) => (index !== undefined ? Number(index) : key!));

/** `queries[0].legend` */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((f, k) => (typeof k === 'number' ? `${f}[${k}]` : f ? `${f}.${String(k)}` : String(k)), '') ||
  '(props)';

const MAX_PREVIEW = 60;
function preview(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  let text: string;
  try {
    text =
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      v === null ||
      Array.isArray(v) ||
      v?.constructor === Object
        ? JSON.stringify(v)
        : String(v);
  } catch {
    text = String(v);
  }
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 1)}…` : text;
}

/** Every zod issue as a problem; the schemas' messages say the fix, the input says what was wrong. */
export function zodProblems(schema: z.ZodType, value: unknown): Problem[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = fieldOf(issue.path);
    // A bad key of a record: its own check says the fix.
    if (issue.code === 'invalid_key')
      return { field, reason: `got key ${preview(issue.input)}`, fix: issue.issues[0]?.message };
    if (issue.code === 'unrecognized_keys')
      return {
        field,
        reason: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`,
        fix: 'remove it or check its spelling',
      };
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      return {
        field,
        reason: issue.input === undefined ? 'missing' : `got ${preview(issue.input)}`,
        fix: `give a ${issue.expected}`,
      };
    }
    return { field, reason: issue.input === undefined ? 'missing' : `got ${preview(issue.input)}`, fix: issue.message };
  });
}
