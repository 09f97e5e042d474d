// The installed command behaves like promtool and amtool: every command has its own --help (the same
// as `help CMD`, and it runs nothing), --version, one error style for a mistyped call (one line naming
// the command, exit 2), and before `npm ci` one line saying to run it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { commandHelp, parseCommand, type CommandSpec, type Io } from '../src/command.js';
import { UsageError } from '../src/usage-error.js';
import { ROOT, runCli, type CliResult } from './helpers.js';

async function run(file: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs the calls two at a time (the machine is shared), in order of `calls`. */
async function pooled(calls: readonly string[][]): Promise<CliResult[]> {
  const results: CliResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const i = next++;
      results[i] = await runCli(calls[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** The commands `stressgate --help` lists (its registry), `help` aside. */
const listed = (help: string) =>
  [...(/\nCommands:\n([\s\S]*?)\n\n/.exec(help)?.[1] ?? '').matchAll(/^ {2}([a-z][\w-]*)\s/gm)]
    .map((m) => m[1]!)
    .filter((c) => c !== 'help');

let help = '';
let commands: string[] = [];
let scratch = '';

before(async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0, r.stderr);
  help = r.stdout;
  commands = listed(help);
  scratch = await mkdtemp(join(tmpdir(), 'stressgate-cli-'));
});
after(() => rm(scratch, { recursive: true, force: true }));

describe('the stressgate command', () => {
  it('`npx --no-install stressgate help` works in the repository', async () => {
    const { code, stdout, stderr } = await run('npx', ['--no-install', 'stressgate', 'help'], ROOT);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, help);
  });

  it('runs from any directory and passes the exit code through', async () => {
    const bin = join(ROOT, 'bin/stressgate.js');
    const ok = await run(bin, ['--version'], tmpdir());
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await run(bin, ['no-such-command'], tmpdir());
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "stressgate: unknown command 'no-such-command'; see 'stressgate --help'\n");
  });

  it('before `npm ci` (no tsx to be found) says so in one line, exit 2, no stack trace', async () => {
    const bare = join(scratch, 'no-install');
    await cp(join(ROOT, 'bin'), join(bare, 'bin'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(bare, 'package.json'));
    const r = await run(process.execPath, [join(bare, 'bin/stressgate.js'), '--help'], bare);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^stressgate: run `npm ci` first \(the CLI runs TypeScript with tsx[^\n]*\)\n$/);
  });
});

describe('help and version', () => {
  it('--help lists every command; help, -h and no command print the same', async () => {
    assert.match(help, /^usage: stressgate <command> \[options\]\n/);
    for (const c of ['synth', 'verify', 'lint', 'mutation', 'diff', 'load', 'gate', 'report', 'import'])
      assert.ok(commands.includes(c), `${c} missing from:\n${help}`);
    const again = await pooled([['help'], ['-h'], []]);
    for (const r of again) assert.deepEqual({ code: r.code, out: r.stdout }, { code: 0, out: help });
  });

  it('--version and -V print the package.json version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const r of await pooled([['--version'], ['-V']])) assert.deepEqual([r.code, r.stdout], [0, `${version}\n`]);
  });

  it('every command has its own help: CMD --help, CMD -h and help CMD print it, exit 0', async () => {
    const calls = commands.flatMap((c) => [
      [c, '--help'],
      [c, '-h'],
      ['help', c],
    ]);
    const results = await pooled(calls);
    for (const [i, c] of commands.entries()) {
      const [long, short, viaHelp] = results.slice(3 * i, 3 * i + 3) as [CliResult, CliResult, CliResult];
      assert.equal(long.code, 0, `${c} --help: ${long.stderr}`);
      assert.match(long.stdout, new RegExp(`^usage: stressgate ${c} `), `${c} --help`);
      assert.match(long.stdout, /\nOptions:\n[\s\S]*-h, --help/, `${c} --help lists its options`);
      assert.notEqual(long.stdout, help, `${c} --help is not the global help`);
      assert.equal(short.stdout, long.stdout, `${c} -h`);
      assert.equal(viaHelp.stdout, long.stdout, `help ${c}`);
      assert.equal(long.stderr, '', `${c} --help prints nothing else`);
    }
  });

  it('--help runs nothing: no file written, no mutation pass, no load, among other options', async () => {
    const out = join(scratch, 'untouched');
    const results = await pooled([
      ['synth', '--root', out, '--help'],
      ['gate', '--prometheus', 'http://127.0.0.1:1', '--from', '2026-01-01T00:00:00Z', '--out', out, '--help'],
      ['load', '--profile', 'smoke', '--out', out, '-h'],
      ['mutation', '--help'],
    ]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(results[3]!.stdout, /alert tests kill/);
    assert.deepEqual(await readdir(out).catch(() => []), []);
  });

  it("the README's CLI section names every command", async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const cli = /\n## CLI\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    assert.match(cli, /npm ci/, 'the CLI section says to run npm ci first');
    for (const c of commands) assert.match(cli, new RegExp(`\`${c}[\` ]`), `README CLI section: ${c}`);
  });
});

describe('one error style for a mistyped call', () => {
  const oneLine = (r: CliResult, line: string | RegExp) => {
    assert.equal(r.code, 2, r.stderr);
    if (typeof line === 'string') assert.equal(r.stderr, `${line}\n`);
    else assert.match(r.stderr, line);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
  };

  it('every command: an unknown option is one line naming the command and its help, exit 2', async () => {
    const results = await pooled(commands.map((c) => [c, '--no-such-option']));
    for (const [i, c] of commands.entries())
      oneLine(results[i]!, `stressgate ${c}: unknown option '--no-such-option'; see 'stressgate ${c} --help'`);
  });

  it('suggests the nearest option and command; names a missing value, a bad choice, a stray argument', async () => {
    const [typo, format, missing, choice, stray, command, flagFirst, helpTypo] = await pooled([
      ['gate', '--runer', 'k6'],
      ['verify', '--fromat', 'json'],
      ['gate', '--summary'],
      ['load', '--runner', 'jmeter'],
      ['synth', 'extra'],
      ['verfy'],
      ['--root', '.'],
      ['help', 'gat'],
    ]);
    oneLine(typo!, "stressgate gate: unknown option '--runer' (did you mean --runner?); see 'stressgate gate --help'");
    oneLine(format!, /^stressgate verify: unknown option '--fromat' \(did you mean --format\?\)/);
    oneLine(missing!, /^stressgate gate: option '--summary' needs a value \(--summary FILE\)/);
    oneLine(choice!, /^stressgate load: --runner must be node or k6, not "jmeter"/);
    oneLine(stray!, /^stressgate synth: unexpected argument 'extra'/);
    oneLine(command!, "stressgate: unknown command 'verfy' (did you mean verify?); see 'stressgate --help'");
    oneLine(flagFirst!, /^stressgate: give the command first/);
    oneLine(helpTypo!, "stressgate: unknown command 'gat' (did you mean gate?); see 'stressgate --help'");
  });

  it('a package the install lacks is one line saying to run npm ci, not a stack trace', async () => {
    const app = join(scratch, 'needs-a-package.mts');
    await writeFile(app, "import 'stressgate-no-such-package';\nexport const app = {};\n");
    const r = await runCli(['synth', '--root', join(scratch, 'none'), '--app', app]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "stressgate synth: package 'stressgate-no-such-package' is not installed: run `npm ci` first\nNothing was written.\n",
    );
  });

  it('gate against an unreachable Prometheus: one line naming the URL and the failure, no verdict', async () => {
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => done(port));
      });
    });
    const out = join(scratch, 'gate');
    const url = `http://127.0.0.1:${port}`;
    const r = await runCli([
      'gate',
      ...['--prometheus', url, '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T00:10:00Z'],
      ...['--profile', 'smoke', '--out', out],
    ]);
    oneLine(r, new RegExp(`^stressgate gate: Prometheus at ${url} unreachable: GET /api/v1/\\w+: .*ECONNREFUSED`));
    assert.deepEqual(await readdir(out).catch(() => []), [], 'no verdict written');
  });
});

describe('parseCommand: the one parser every command uses', () => {
  const spec = {
    name: 'demo',
    description: 'A demonstration.',
    options: {
      profile: { type: 'string', value: 'NAME', description: 'the profile', default: 'moderate', env: 'DEMO_PROFILE' },
      runner: { type: 'string', description: 'the runner', choices: ['node', 'k6'], default: 'node' },
      force: { type: 'boolean', description: 'overwrite' },
    },
  } as const satisfies CommandSpec;
  const quiet: Io = { out: () => {}, err: () => {} };

  it('applies defaults, then the environment, then the flag; an explicit empty value stays empty', () => {
    const at = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = parseCommand(spec, argv, quiet, env);
      assert.ok(r.ok);
      return r.values;
    };
    assert.deepEqual(at([]), { profile: 'moderate', runner: 'node', force: false });
    assert.equal(at([], { DEMO_PROFILE: 'smoke' }).profile, 'smoke');
    assert.equal(at([], { DEMO_PROFILE: '' }).profile, 'moderate');
    assert.equal(at(['--profile', 'soak'], { DEMO_PROFILE: 'smoke' }).profile, 'soak');
    assert.equal(at(['--profile', ''], { DEMO_PROFILE: 'smoke' }).profile, '');
    assert.equal(at(['--force']).force, true);
  });

  it('throws a UsageError for each kind of mistake, and prints the help on --help', () => {
    const problem = (argv: string[]) => {
      try {
        parseCommand(spec, argv, quiet, {});
      } catch (err) {
        assert.ok(err instanceof UsageError);
        return err.message;
      }
      assert.fail(`no error for ${argv.join(' ')}`);
    };
    assert.equal(
      problem(['--prfile', 'x']),
      "unknown option '--prfile' (did you mean --profile?); see 'stressgate demo --help'",
    );
    assert.equal(problem(['-x']), "unknown option '-x'; see 'stressgate demo --help'");
    assert.match(problem(['--force=yes']), /^option '--force' takes no value/);
    assert.match(problem(['--profile', '--force']), /^option '--profile' needs a value \(--profile NAME\)/);
    assert.match(problem(['--runner', 'jmeter']), /^--runner must be node or k6, not "jmeter"/);
    assert.match(problem(['stray']), /^unexpected argument 'stray'/);
    let printed = '';
    const r = parseCommand(spec, ['--profile', 'x', '-h'], { out: (t) => (printed += t), err: () => {} }, {});
    assert.deepEqual(r, { ok: false, exit: 0 });
    assert.equal(printed, `${commandHelp(spec)}\n`);
  });

  it('the help names each option with its value, default and environment variable, within 100 columns', () => {
    const text = commandHelp(spec);
    assert.match(text, /^usage: stressgate demo \[options\]\n\nA demonstration\.\n/);
    assert.match(text, /--profile NAME +the profile \(default: moderate; env DEMO_PROFILE\)/);
    assert.match(text, /--runner node\|k6 +the runner \(default: node\)/);
    assert.match(text, /-h, --help +show this help and exit/);
    const long = commandHelp({ ...spec, description: 'word '.repeat(80) });
    assert.deepEqual(
      long.split('\n').filter((l) => l.length > 100),
      [],
    );
  });
});
