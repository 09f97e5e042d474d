// The archive naming every writer and reader of artifacts/runs/ shares.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { listRunDirs, listRuns, runDir } from '../../src/gate/run-archive.js';

it('runDir names a run by its ISO start (seconds) with dashes and its profile; listRuns newest first, listRunDirs oldest first', async () => {
  const artifacts = await mkdtemp(join(tmpdir(), 'stressgate-archive-'));
  try {
    const late = runDir(artifacts, new Date('2026-12-07T10:00:00.500Z'), 'smoke');
    const early = runDir(artifacts, new Date('2026-12-07T09:59:59.001Z'), 'moderate');
    assert.equal(late, join(artifacts, 'runs', '2026-12-07T10-00-00Z-smoke'));
    assert.deepEqual(await listRuns(artifacts), [], 'no runs directory yet');
    await mkdir(late, { recursive: true });
    await mkdir(early, { recursive: true });
    await mkdir(join(artifacts, 'runs', '.tmp'), { recursive: true });
    await writeFile(join(artifacts, 'runs', 'README'), 'not a run');
    assert.deepEqual(
      (await listRuns(artifacts)).map((r) => [r.dir, r.profile]),
      [
        [late, 'smoke'],
        [early, 'moderate'],
      ],
    );
    assert.deepEqual(await listRunDirs(join(artifacts, 'runs')), [early, late]);
  } finally {
    await rm(artifacts, { recursive: true, force: true });
  }
});
