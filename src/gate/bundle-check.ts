// Checks a k6 bundle against the generation it is for, by reading its code (TypeScript's parser and
// checker): every require() names a module that generation serves, and no timer global is used where
// the generation has none (k6 v0.48: `setTimeout is not defined` in every iteration). Run before every
// k6 run and by the tests, so a regression fails before any load is sent.
import ts from 'typescript';
import { K6_GENERATIONS, type K6Generation } from './k6-generations.js';

const TIMER_GLOBALS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;

function program(code: string): { file: ts.SourceFile; checker: ts.TypeChecker } {
  const name = '/bundle.js';
  const file = ts.createSourceFile(name, code, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const host = ts.createCompilerHost({});
  host.getSourceFile = (f) => (f === name ? file : undefined);
  host.fileExists = (f) => f === name;
  host.readFile = (f) => (f === name ? code : undefined);
  // No lib: a global has no declaration, so the checker resolves it to nothing.
  const p = ts.createProgram([name], { allowJs: true, noLib: true, noResolve: true, types: [] }, host);
  return { file, checker: p.getTypeChecker() };
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

/** Module names the bundle require()s, sorted. */
export function bundleRequires(code: string): string[] {
  const found = new Set<string>();
  walk(ts.createSourceFile('/bundle.js', code, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS), (n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require') {
      const [arg] = n.arguments;
      found.add(arg && ts.isStringLiteralLike(arg) ? arg.text : `(dynamic: ${arg?.getText() ?? 'no argument'})`);
    }
  });
  return [...found].sort();
}

/** Uses of `names` that resolve to no declaration in the bundle: globals, with their line numbers. */
export function freeGlobalUses(code: string, names: readonly string[]): Array<{ name: string; line: number }> {
  const { file, checker } = program(code);
  const uses: Array<{ name: string; line: number }> = [];
  walk(file, (n) => {
    if (!ts.isIdentifier(n) || !names.includes(n.text)) return;
    const parent = n.parent;
    // `globalThis.setTimeout` is the global; `x.setTimeout` and `{ setTimeout: ... }` name properties.
    if (ts.isPropertyAccessExpression(parent) && parent.name === n) {
      const owner = parent.expression;
      if (ts.isIdentifier(owner) && owner.text === 'globalThis' && !checker.getSymbolAtLocation(owner)?.declarations?.length) {
        uses.push({ name: n.text, line: file.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
      }
      return;
    }
    if (ts.isPropertyAssignment(parent) && parent.name === n) return;
    if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent)) && parent.name === n) return;
    const symbol = checker.getSymbolAtLocation(n);
    if (!symbol?.declarations?.length) uses.push({ name: n.text, line: file.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
  });
  return uses;
}

/** Problems of a bundle for a generation; empty when it will load and run there. */
export function checkBundle(code: string, generation: K6Generation): string[] {
  const g = K6_GENERATIONS[generation];
  const problems = bundleRequires(code)
    .filter((m) => !g.serves.includes(m))
    .map((m) => `requires "${m}", which k6 of the ${generation} generation does not serve`);
  const missing = TIMER_GLOBALS.filter((t) => !g.timerGlobals.includes(t));
  for (const use of freeGlobalUses(code, missing)) problems.push(`line ${use.line} uses the global ${use.name}, which the ${generation} generation lacks (take timers from load/k6/runtime.ts)`);
  return problems;
}
