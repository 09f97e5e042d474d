// The OpenSLO export synth writes: each SLO's objective, period and events are the definitions' own
// (the latency SLO's good events are its threshold's bucket), and a hand edit, a deleted file or a
// stray file in infra/openslo/ is drift, as for every generated file.
import assert from 'node:assert/strict';
import { rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { app } from '../../src/definitions.js';
import { openSloDocuments, OPENSLO_FILE } from '../../src/openslo/export.js';
import { productionSlo } from '../../src/slos/burn-rate.js';
import { slos } from '../../src/slos/index.js';
import { findDrift, synthesize, writeFileSet, type FileSet } from '../../src/synth/index.js';
import { projectCopy } from '../helpers.js';

describe('OpenSLO export', () => {
  let files: FileSet;
  before(async () => void (files = await synthesize(app)));

  it("gives every SLO its production objective, period and the SLI's own events", () => {
    const docs = new Map(openSloDocuments(app).map((d) => [d.metadata.name, d]));
    for (const slo of Object.values(slos)) {
      const doc = docs.get(slo.id);
      assert.ok(doc?.kind === 'SLO', slo.id);
      const production = productionSlo(slo)!;
      assert.deepEqual(doc.spec.objectives, [{ target: production.objective }]);
      assert.deepEqual(doc.spec.timeWindow, [{ duration: production.period, isRolling: true }]);
      assert.equal(doc.spec.budgetingMethod, 'Occurrences');
      const ratio = doc.spec.indicator!.spec.ratioMetric!;
      const events = slo.sli.events!;
      const query = (s: typeof ratio.total) => s!.metricSource.spec.query;
      if (events.kind === 'ratio') {
        assert.equal(query(ratio.bad), `sum(${events.errors})`);
        assert.equal(query(ratio.total), `sum(${events.total})`);
      } else {
        assert.match(
          query(ratio.good) as string,
          new RegExp(`^sum\\(${events.histogram.name}_bucket\\{.*le="${slo.threshold}"\\}\\)$`),
        );
        assert.equal(query(ratio.total), `sum(${events.histogram.count.select(events.matchers)})`);
      }
    }
    assert.equal(
      docs.get('api-latency-p95')?.kind === 'SLO' &&
        docs.get('api-latency-p95')!.metadata.annotations!['stressgate/gate-threshold'],
      '300ms',
    );
  });

  it('is covered by the drift check: a hand edit, a deleted file and a stray file', async () => {
    assert.ok(files.has(OPENSLO_FILE));
    const { dir, cleanup } = await projectCopy();
    try {
      const text = await readFile(join(dir, OPENSLO_FILE), 'utf8');
      await writeFile(join(dir, OPENSLO_FILE), text.replace('target: 0.995', 'target: 0.95'));
      await writeFile(join(dir, 'infra/openslo/old.yaml'), 'apiVersion: openslo/v1\n');
      assert.deepEqual(await findDrift(dir, files), [
        { path: 'infra/openslo/old.yaml', kind: 'stale' },
        { path: OPENSLO_FILE, kind: 'changed' },
      ]);
      await rm(join(dir, OPENSLO_FILE));
      assert.deepEqual(
        (await findDrift(dir, files)).find((d) => d.path === OPENSLO_FILE),
        { path: OPENSLO_FILE, kind: 'missing' },
      );
      const { written, removed } = await writeFileSet(dir, files);
      assert.deepEqual([written, removed], [[OPENSLO_FILE], ['infra/openslo/old.yaml']]);
      assert.deepEqual(await findDrift(dir, files), []);
    } finally {
      await cleanup();
    }
  });
});
