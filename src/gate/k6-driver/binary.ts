// Finding k6 and its generation: K6_BIN when set, else `k6` on PATH, else the development copy at
// ../shared/tools/k6/k6 beside the project. `k6 version` decides which bundle it gets.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  generationFor,
  K6_GENERATION_NAMES,
  K6_GENERATIONS,
  parseK6Version,
  versionText,
  type K6Generation,
  type Version,
} from '../../k6-script/generations.js';

export interface K6Binary {
  readonly path: string;
  readonly version: Version;
  readonly generation: K6Generation;
}

export const K6_MISSING = `k6 was not found (K6_BIN, PATH, ../shared/tools/k6/k6). Install it from Grafana's packages
(https://grafana.com/docs/k6/latest/set-up/install-k6/), or run the same scenarios with the Node runner:
add RUNNER=node (e.g. make test-load RUNNER=node PROFILE=smoke).`;

export class K6Error extends Error {
  override name = 'K6Error';
}

export function k6Candidates(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...(env.K6_BIN ? [env.K6_BIN] : []), 'k6', resolve(root, '../shared/tools/k6/k6')];
}

async function versionOf(bin: string): Promise<string | undefined> {
  if (bin.includes('/') && !existsSync(bin)) return undefined;
  try {
    const { stdout } = await promisify(execFile)(bin, ['version'], { timeout: 15_000 });
    return stdout;
  } catch {
    return undefined;
  }
}

/**
 * The first k6 that answers `k6 version`, with the generation its version runs; undefined when none
 * is found. Throws K6Error for a K6_BIN that does not work, and for a k6 no generation supports.
 * K6_GENERATION overrides the choice (e.g. for a custom build).
 */
export async function findK6(root: string, env: NodeJS.ProcessEnv = process.env): Promise<K6Binary | undefined> {
  for (const bin of k6Candidates(root, env)) {
    const out = await versionOf(bin);
    if (out === undefined) {
      if (bin === env.K6_BIN) throw new K6Error(`K6_BIN=${bin} does not run \`k6 version\``);
      continue;
    }
    const version = parseK6Version(out);
    if (!version) throw new K6Error(`${bin}: cannot read a version from \`k6 version\`: ${out.trim().slice(0, 200)}`);
    const forced = env.K6_GENERATION as K6Generation | undefined;
    if (forced && !K6_GENERATION_NAMES.includes(forced))
      throw new K6Error(`K6_GENERATION=${forced}: known generations are ${K6_GENERATION_NAMES.join(', ')}`);
    const generation = forced ?? generationFor(version);
    if (!generation) {
      const supported = K6_GENERATION_NAMES.map((g) => `${g}: ${K6_GENERATIONS[g].summary}`).join('; ');
      throw new K6Error(`${bin} is k6 ${versionText(version)}, which no bundle generation supports (${supported})`);
    }
    return { path: bin, version, generation };
  }
  return undefined;
}
