// What the subcommands with their own options share: where they print, and parsing their options
// with the usage text on a mistake (exit 2) or on --help (exit 0).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** The parsed options, or the exit code when usage was printed instead. */
export function parseCommand<O extends Options>(argv: string[], options: O, usage: string, io: Io) {
  try {
    const { values } = parseArgs<{ args: string[]; options: O & typeof HELP }>({
      args: argv,
      options: { ...options, ...HELP },
    });
    if ((values as { help?: boolean }).help) return (io.out(`${usage}\n`), { ok: false as const, exit: 0 });
    return { ok: true as const, values };
  } catch (err) {
    io.err(`${(err as Error).message}\n${usage}\n`);
    return { ok: false as const, exit: 2 };
  }
}
