// The k6 script k6-operator runners execute: the same bundle as a local run, built for current k6.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleK6 } from '../k6-script/bundle.js';

/**
 * The bundle for current k6 (>= 1.6, what k6-operator's runner image ships): `k6/websockets` and
 * global timers (src/k6-script/generations.ts). The one place that picks the generation for the cluster.
 */
export async function currentK6Bundle(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-k6-'));
  try {
    return await readFile(await bundleK6({ generation: 'current', outfile: join(dir, 'main.js') }), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
