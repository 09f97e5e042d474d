// Checks a k6 bundle against the generation it is for, by reading its code (acorn's parser, and
// acorn-globals for the identifiers the bundle never declares): every require() names a module that generation serves, and no timer global is used where
// the generation has none (k6 v0.48: `setTimeout is not defined` in every iteration). Run before every
// k6 run and by the tests, so a regression fails before any load is sent.
import { createRequire } from 'node:module';
import { parse, type AnyNode, type CallExpression, type Program } from 'acorn';
import { simple } from 'acorn-walk';
import { K6_GENERATIONS, type K6Generation } from './generations.js';

/** acorn-globals (no types of its own): the identifiers a program uses without declaring them, with each use's ancestors. */
type GlobalUses = Array<{ name: string; nodes: Array<AnyNode & { parents: AnyNode[] }> }>;
const detectGlobals = createRequire(import.meta.url)('acorn-globals') as (ast: Program) => GlobalUses;

const TIMER_GLOBALS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;

const parseBundle = (code: string): Program =>
  parse(code, { ecmaVersion: 2020, sourceType: 'script', locations: true });

/** Module names the bundle require()s, sorted. */
export function bundleRequires(code: string): string[] {
  const found = new Set<string>();
  simple(parseBundle(code), {
    CallExpression(n: CallExpression) {
      if (n.callee.type !== 'Identifier' || n.callee.name !== 'require') return;
      const [arg] = n.arguments;
      found.add(
        arg?.type === 'Literal' && typeof arg.value === 'string'
          ? arg.value
          : `(dynamic: ${arg ? code.slice(arg.start, arg.end) : 'no argument'})`,
      );
    },
  });
  return [...found].sort();
}

/** Uses of `names` that resolve to no declaration in the bundle (globals, `globalThis.x` included), with their line numbers. */
export function freeGlobalUses(code: string, names: readonly string[]): Array<{ name: string; line: number }> {
  const uses: Array<{ name: string; line: number }> = [];
  for (const g of detectGlobals(parseBundle(code))) {
    for (const node of g.nodes) {
      if (names.includes(g.name)) uses.push({ name: g.name, line: node.loc!.start.line });
      // `globalThis.setTimeout`: the global object is free, the property is the timer.
      const parent = node.parents.at(-2);
      if (
        g.name === 'globalThis' &&
        parent?.type === 'MemberExpression' &&
        !parent.computed &&
        parent.property.type === 'Identifier' &&
        names.includes(parent.property.name)
      ) {
        uses.push({ name: parent.property.name, line: node.loc!.start.line });
      }
    }
  }
  return uses.sort((a, b) => a.line - b.line);
}

/** Problems of a bundle for a generation; empty when it will load and run there. */
export function checkBundle(code: string, generation: K6Generation): string[] {
  const g = K6_GENERATIONS[generation];
  const problems = bundleRequires(code)
    .filter((m) => !g.serves.includes(m))
    .map((m) => `requires "${m}", which k6 of the ${generation} generation does not serve`);
  const missing = TIMER_GLOBALS.filter((t) => !g.timerGlobals.includes(t));
  for (const use of freeGlobalUses(code, missing))
    problems.push(
      `line ${use.line} uses the global ${use.name}, which the ${generation} generation lacks (take timers from load/k6/runtime.ts)`,
    );
  return problems;
}
