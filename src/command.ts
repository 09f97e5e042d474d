// What every command shares: its declaration as data (name, summary, usage, options), the one source
// both for parsing its arguments and for its --help; parsing through node:util's parseArgs with one
// error style (promtool's and amtool's: one line naming the command, exit 2); and where it prints.
import { parseArgs } from 'node:util';
import { nearest } from './kernel/suggest.js';
import { UsageError } from './usage-error.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's name in the help (`--out DIR`), for a string option. */
  readonly value?: string;
  readonly description: string;
  readonly default?: string;
  /** An environment variable (a Make variable) whose non-empty value replaces the default. */
  readonly env?: string;
  /** The only values a string option takes. */
  readonly choices?: readonly string[];
}

export interface CommandSpec {
  /** As `stressgate` is given it (the registry in src/cli.ts holds its one-line summary). */
  readonly name: string;
  /** What follows `stressgate <name>` on the usage line (default `[options]`). */
  readonly usage?: string;
  /** Paragraphs after the usage line; wrapped to the help's width, an indented one kept as written. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Whether the command takes positional arguments (it checks them itself). */
  readonly positionals?: boolean;
  /** The exit codes, one sentence. */
  readonly exit?: string;
}

/** A string option with choices is one of them. */
type Text<S> = S extends { choices: readonly (infer C extends string)[] } ? C : string;
type Value<S> = S extends { type: 'boolean' } ? boolean : S extends { default: string } ? Text<S> : Text<S> | undefined;
export type Values<O extends Readonly<Record<string, OptionSpec>>> = { -readonly [K in keyof O]: Value<O[K]> };

export type Parsed<S extends CommandSpec> =
  | { readonly ok: true; readonly values: Values<S['options']>; readonly positionals: string[] }
  | { readonly ok: false; readonly exit: 0 };

const HELP_OPTION = { type: 'boolean', short: 'h', description: 'show this help and exit' } as const;

/** The usage error every command gives: one line, pointing at the command's help. */
export const usageError = (command: string, problem: string) =>
  new UsageError(`${problem}; see 'stressgate ${command} --help'`);

/**
 * The parsed options (defaults and environment applied, choices checked), or `{ ok: false, exit: 0 }`
 * once `--help` has printed the command's help. A mistake throws a UsageError (exit 2).
 */
export function parseCommand<S extends CommandSpec>(
  spec: S,
  argv: readonly string[],
  io: Io = stdio,
  env: NodeJS.ProcessEnv = process.env,
): Parsed<S> {
  const options = { ...spec.options, help: HELP_OPTION };
  // Not strict: every token is judged here, so that each mistake reads alike (Node's texts differ by kind).
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    io.out(`${commandHelp(spec)}\n`);
    return { ok: false, exit: 0 };
  }
  const fail = (problem: string) => {
    throw usageError(spec.name, problem);
  };
  for (const t of tokens) {
    if (t.kind === 'positional' && !spec.positionals) fail(`unexpected argument '${t.value}'`);
    if (t.kind !== 'option') continue;
    const o = spec.options[t.name];
    if (!o) {
      const near = t.rawName.startsWith('--') ? nearest(t.name, Object.keys(options)) : undefined;
      fail(`unknown option '${t.rawName}'${near ? ` (did you mean --${near}?)` : ''}`);
    } else if (o.type === 'boolean' && t.inlineValue) fail(`option '--${t.name}' takes no value`);
    else if (o.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))))
      fail(`option '--${t.name}' needs a value (--${t.name} ${o.value ?? 'VALUE'})`);
  }
  const out: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const given = values[name];
    if (o.type === 'boolean') out[name] = given === true;
    else out[name] = typeof given === 'string' ? given : (o.env && env[o.env]) || o.default;
    const v = out[name];
    if (o.choices && typeof v === 'string' && !o.choices.includes(v))
      fail(`--${name} must be ${orList(o.choices)}, not "${v}"`);
  }
  return { ok: true, values: out as Values<S['options']>, positionals };
}

/** `node or k6`; a longer list as `changes, weaker, never` (the texts the commands gave before). */
const orList = (xs: readonly string[]) => (xs.length === 2 ? xs.join(' or ') : xs.join(', '));

const WIDTH = 100;

/** Words to lines of at most `width` characters, each after `indent`; blank lines keep paragraphs apart. */
export function wrap(text: string, indent = '', width = WIDTH): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((para) => {
      // An indented paragraph (a list, a table) is kept as it was written.
      if (/^\s/.test(para)) return para.replace(/^/gm, indent);
      const lines: string[] = [];
      let line = '';
      for (const word of para.split(/\s+/).filter(Boolean)) {
        if (line && indent.length + line.length + 1 + word.length > width) (lines.push(line), (line = ''));
        line = line ? `${line} ${word}` : word;
      }
      return [...lines, line].map((l) => `${indent}${l}`).join('\n');
    })
    .join('\n\n');
}

/** `--out DIR` / `-h, --help`: an option as the help names it. */
function optionName(name: string, o: OptionSpec): string {
  const value = o.type === 'string' ? ` ${o.value ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : '';
  return `${o.short ? `-${o.short}, ` : ''}--${name}${value}`;
}

/** Two columns: names, then descriptions wrapped beside them. */
export function columns(rows: readonly (readonly [string, string])[], gap = 2, max = 30): string {
  const left = Math.min(max, Math.max(...rows.map(([n]) => n.length))) + gap;
  return rows
    .map(([name, text]) => {
      const body = wrap(text, ' '.repeat(left + 2)).trimStart();
      return name.length + gap > left ? `  ${name}\n${' '.repeat(left + 2)}${body}` : `  ${name.padEnd(left)}${body}`;
    })
    .join('\n');
}

/** The command's help: what `stressgate CMD --help` and `stressgate help CMD` print. */
export function commandHelp(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP_OPTION };
  const rows = Object.entries(options).map(([name, o]): [string, string] => {
    const dflt = 'default' in o && o.default ? `default: ${o.default}` : '';
    const env = 'env' in o && o.env ? `env ${o.env}` : '';
    const note = [dflt, env].filter(Boolean).join('; ');
    return [optionName(name, o), `${o.description}${note ? ` (${note})` : ''}`];
  });
  return [
    `usage: stressgate ${spec.name} ${spec.usage ?? '[options]'}`,
    wrap(spec.description),
    `Options:\n${columns(rows)}`,
    ...(spec.exit ? [wrap(`Exit codes: ${spec.exit}`)] : []),
  ].join('\n\n');
}
