// Imported SLOs as TypeScript in the style of src/slos/index.ts: the SLI recording rules built with
// ratioRule/quantileRule over catalog metrics (or a raw RecordingRule where the catalog lacks them),
// then an `slos` record of Slo constructs. What could not be typed heads the module as comments.
import type { LabelMatcher } from '../kernel/promql.js';
import type { ImportedSli, ImportedSlo, ImportResult } from './import-model.js';
import type { SeriesRef } from './queries.js';

/** Where the generated module imports project modules from: `src/...` path to specifier. */
export type SpecifierOf = (srcPath: string) => string;

const q = (s: string) => JSON.stringify(s);
const camel = (id: string) => {
  const c = id.replace(/[-_]([a-zA-Z0-9])/g, (_, ch: string) => ch.toUpperCase()).replace(/[^a-zA-Z0-9]/g, '');
  return /^[0-9]/.test(c) ? `slo${c}` : c;
};
const HELPER: Record<LabelMatcher['op'], string | undefined> = {
  '=': undefined,
  '=~': 're',
  '!~': 'notRe',
  '!=': 'ne',
};

class Imports {
  private readonly names = new Map<string, Set<string>>();
  use(path: string, name: string): string {
    (this.names.get(path) ?? this.names.set(path, new Set()).get(path)!).add(name);
    return name;
  }
  render(spec: SpecifierOf): string[] {
    return [...this.names.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, names]) => `import { ${[...names].sort().join(', ')} } from ${q(spec(path))};`);
  }
}

function matchersCode(matchers: readonly LabelMatcher[], imports: Imports): string {
  if (!matchers.length) return '';
  const parts = matchers.map((m) => {
    const helper = HELPER[m.op];
    return `${m.label}: ${helper ? `${imports.use('catalog/index.js', helper)}(${q(m.value)})` : q(m.value)}`;
  });
  return `{ ${parts.join(', ')} }`;
}

function selectorCode(ref: SeriesRef, imports: Imports): string {
  imports.use('catalog/index.js', 'metrics');
  return `metrics.${ref.binding}${ref.sub ? `.${ref.sub}` : ''}.select(${matchersCode(ref.matchers, imports)})`;
}

const literal = (value: unknown) => JSON.stringify(value);

function sliCode(slo: ImportedSlo, name: string, imports: Imports): string {
  const sli: ImportedSli = slo.sli;
  const head = [`record: ${q(slo.record)},`];
  const traffic = slo.traffic ? [`traffic: ${selectorCode(slo.traffic, imports)},`] : [];
  if (sli.kind === 'ratio') {
    imports.use('constructs/sli-rules.js', 'ratioRule');
    return [
      `const ${name} = ratioRule(group, ${q(slo.ruleId)}, {`,
      ...head,
      `errors: ${selectorCode(sli.errors, imports)},`,
      `total: ${selectorCode(sli.total, imports)},`,
      `window: ${q(slo.window)},`,
      `examples: ${literal(sli.examples)},`,
      ...traffic,
      '});',
    ].join('\n');
  }
  if (sli.kind === 'histogram') {
    imports.use('constructs/sli-rules.js', 'quantileRule');
    imports.use('catalog/index.js', 'metrics');
    const matchers = matchersCode(sli.histogram.matchers, imports);
    const ex = sli.examples as { example?: unknown; excluded?: unknown };
    return [
      `const ${name} = quantileRule(group, ${q(slo.ruleId)}, {`,
      ...head,
      `histogram: metrics.${sli.histogram.binding},`,
      `quantile: ${sli.quantile},`,
      `window: ${q(slo.window)},`,
      ...(sli.by.length ? [`by: ${literal(sli.by)},`] : []),
      ...(matchers ? [`matchers: ${matchers},`] : []),
      `example: ${literal(ex.example ?? {})},`,
      ...(ex.excluded ? [`excluded: ${literal(ex.excluded)},`] : []),
      ...traffic,
      '});',
    ].join('\n');
  }
  imports.use('constructs/rules.js', 'RecordingRule');
  imports.use('promql/expr.js', 'Expr');
  return [
    `const ${name} = new RecordingRule<'ratio'>(group, ${q(slo.ruleId)}, {`,
    ...head,
    `unit: 'ratio',`,
    `window: ${q(slo.window)},`,
    '// Raw PromQL over series the catalog lacks (see the notes at the top): no generated tests, no burn rates.',
    `expr: new Expr(${q(sli.expr)}, []),`,
    '});',
  ].join('\n');
}

function sloCode(slo: ImportedSlo, sliName: string, imports: Imports): string {
  imports.use('constructs/slo.js', 'Slo');
  const threshold = `${imports.use('constructs/quantity.js', slo.threshold.fn)}(${slo.threshold.n})`;
  return [
    `${camel(slo.id)}: new Slo(scope, ${q(slo.id)}, {`,
    `title: ${q(slo.title)},`,
    `description: ${q(slo.description)},`,
    `sli: ${sliName},`,
    `threshold: ${threshold},`,
    `alertFor: ${q(slo.alertFor)},`,
    `load: ${literal(slo.load)},`,
    `production: ${literal(slo.production)},`,
    ...(slo.minTraffic !== undefined ? [`minTraffic: ${slo.minTraffic},`] : []),
    '}),',
  ].join('\n');
}

/** The module text (unformatted); `source` names the file it came from in the header. */
export function sloModule(result: ImportResult, source: string, spec: SpecifierOf): string {
  const imports = new Imports();
  const used = new Set<string>();
  const named = result.slos.map((slo) => {
    let name = `${camel(slo.id)}Sli`;
    for (let i = 2; used.has(name); i++) name = `${camel(slo.id)}Sli${i}`;
    used.add(name);
    return { slo, name };
  });
  const rules = named.map(({ slo, name }) => sliCode(slo, name, imports));
  const entries = named.map(({ slo, name }) => sloCode(slo, name, imports));
  if (named.length) {
    imports.use('constructs/construct.js', 'Construct');
    imports.use('constructs/rules.js', 'RuleGroup');
    imports.use('platform.js', 'platform');
  }
  const header = [
    `// Imported from ${source} by \`stressgate import slos\` (OpenSLO v1): the SLIs as recording rules and`,
    '// the SLOs on them, in the style of src/slos/index.ts. Give each SLO its gate alert (sloAlert) and',
    '// add it to the burn-rate rules as src/slos/ does; review every note below first.',
    ...(result.notes.length ? ['// Not typed as written:', ...result.notes.map((n) => `//   ${n}`)] : []),
  ];
  const scope = named.length
    ? [
        "const group = new RuleGroup(platform, 'openslo-recording');",
        "const scope = new Construct(platform, 'openslo-slos');",
        '',
      ]
    : [];
  return `${[
    ...header,
    ...imports.render(spec),
    '',
    ...scope,
    ...rules.flatMap((r) => [r, '']),
    `export const slos = {${entries.length ? `\n${entries.join('\n')}\n` : ''}} as const;`,
  ].join('\n')}\n`;
}
