// The definitions' type-check with TypeScript 7's native compiler, skipped when nothing tsc read last
// time has changed. The list of files comes from tsc itself (`--listFiles` on the same run), so a
// file outside src/ that the definitions import (node_modules' types included) is part of the key.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Finding } from '../kernel/findings.js';

const run = promisify(execFile);

/** This package's root: the definitions' source, whichever project root the generated files are in. */
export const PACKAGE_ROOT = join(import.meta.dirname, '../..');
/** Where verify keeps what it may reuse (STRESSGATE_CACHE_DIR moves it: CI restores and saves it). */
export const CACHE_DIR = process.env.STRESSGATE_CACHE_DIR
  ? resolve(process.env.STRESSGATE_CACHE_DIR)
  : join(PACKAGE_ROOT, 'node_modules/.cache/stressgate');
export const STAMP = join(CACHE_DIR, 'typecheck.json');
const TSCONFIG = 'tsconfig.verify.json';

/**
 * The native tsc executable. `typescript@7`'s bin is a Node wrapper that spawns it; spawning it
 * directly saves a Node start. Falls back to the wrapper if the platform package is not where the
 * wrapper would look.
 */
export function tscCommand(root = PACKAGE_ROOT): { file: string; args: string[] } {
  const require = createRequire(join(root, 'package.json'));
  const pkgDir = dirname(require.resolve('typescript/package.json'));
  try {
    const platformPkg = createRequire(join(pkgDir, 'package.json')).resolve(
      `@typescript/typescript-${process.platform}-${process.arch}/package.json`,
    );
    return { file: join(dirname(platformPkg), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc'), args: [] };
  } catch {
    return { file: process.execPath, args: [join(pkgDir, 'bin/tsc')] };
  }
}

interface Stamp {
  readonly digest: string;
  /** Every file tsc read on the last clean check, project-relative where inside the package. */
  readonly files: readonly string[];
}

/**
 * A digest of the files: contents for the project's own, size and mtime for installed packages
 * (npm replaces them whole; reading every .d.ts in node_modules on each run would cost more than
 * it saves). The tsconfigs and lock file are always in.
 */
export function digestOf(files: readonly string[], base = PACKAGE_ROOT): string {
  // Synchronous on purpose: ~600 stats and a few dozen small reads take a few ms this way, and ten
  // times that through the promise-based API's thread pool.
  const hash = createHash('sha256');
  for (const f of ['tsconfig.json', TSCONFIG, 'package-lock.json', ...files]) {
    const abs = isAbsolute(f) ? f : join(base, f);
    let part: string | Buffer = 'missing';
    try {
      if (f.includes('node_modules/')) {
        const s = statSync(abs);
        part = `${s.size}:${s.mtimeMs}`;
      } else part = readFileSync(abs);
    } catch {
      // a file that is gone changes the digest
    }
    hash.update(f).update('\0').update(part).update('\0');
  }
  return hash.digest('hex');
}

const TS_ERROR = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/;

/** tsc's error lines as findings, file:line first so editors and CI annotations can jump to them. */
export function tscFindings(output: string): Finding[] {
  const lines = output.split('\n');
  const findings: Finding[] = [];
  lines.forEach((line, i) => {
    const m = TS_ERROR.exec(line);
    if (!m) {
      if (/error TS\d+/.test(line))
        findings.push({
          rule: 'typecheck',
          file: TSCONFIG,
          object: 'compiler',
          message: line.trim(),
          fix: 'fix the configuration error tsc reports',
        });
      return;
    }
    // tsc indents the continuation of a long message (type elaborations) on the following lines.
    const more: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j]!); j++) more.push(lines[j]!.trim());
    findings.push({
      rule: 'typecheck',
      file: m[1]!,
      line: Number(m[2]),
      object: `column ${m[3]}`,
      message: [m[4], ...more].join(' '),
      fix: 'fix the type error at that line; a renamed catalog metric must be renamed at every use',
    });
  });
  return findings;
}

const readStamp = (): Stamp | null => {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return null;
  }
};

/** The digest of this package's code as of the last clean type-check, if nothing tsc read has changed since. */
export function codeDigest(): string | undefined {
  const stamp = readStamp();
  return stamp && digestOf(stamp.files) === stamp.digest ? stamp.digest : undefined;
}

export async function typecheck(): Promise<Finding[]> {
  if (codeDigest()) return [];
  const tsc = tscCommand();
  let stdout: string;
  try {
    // The definitions' part of the code, incrementally; the rest is type-checked by `make test`.
    ({ stdout } = await run(
      tsc.file,
      [...tsc.args, '--noEmit', '--listFiles', '--pretty', 'false', '-p', join(PACKAGE_ROOT, TSCONFIG)],
      { cwd: PACKAGE_ROOT, maxBuffer: 64 << 20 },
    ));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      return [
        {
          rule: 'typecheck',
          file: 'package.json',
          object: 'typescript',
          message: `the TypeScript compiler is not installed (${tsc.file}).`,
          fix: 'run `npm ci`',
        },
      ];
    const found = tscFindings(`${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    return found.length
      ? found
      : [
          {
            rule: 'typecheck',
            file: TSCONFIG,
            object: 'tsc',
            message: `tsc failed: ${(e.stderr || e.message).trim()}`,
            fix: 'run `node_modules/.bin/tsc --noEmit -p tsconfig.verify.json` and fix what it reports',
          },
        ];
  }
  const files = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => isAbsolute(l))
    .map((abs) => {
      const rel = relative(PACKAGE_ROOT, abs).split('\\').join('/');
      return rel.startsWith('..') ? abs : rel;
    })
    .sort();
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(STAMP, JSON.stringify({ digest: digestOf(files), files } satisfies Stamp));
  return [];
}
