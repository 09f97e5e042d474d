// The k6 script k6-operator runners execute: the same bundle as a local run, built for current k6.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleK6 } from '../gate/k6-bundle.js';

/**
 * The bundle for current k6 (>= 1.0, what k6-operator's runner image ships): `k6/websockets` and
 * global timers. The one place that names the bundler's option for that generation.
 */
export async function currentK6Bundle(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-k6-'));
  try {
    return await readFile(await bundleK6({ ws: 'stable', outfile: join(dir, 'main.js') }), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
