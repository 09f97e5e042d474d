// The k6 bundle per generation: each one's require() calls are modules its k6 serves, the legacy one
// uses no timer global (k6 v0.48 has none), and its options are the derived thresholds. The checker
// itself is shown failing on a bundle with a bare setTimeout and on a foreign module.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { k6Options } from '../../load/lib/options.js';
import { bundleRequires, checkBundle, freeGlobalUses } from '../../src/k6-script/bundle-check.js';
import { findK6, k6Candidates } from '../../src/gate/k6-driver/binary.js';
import { bundleK6 } from '../../src/k6-script/bundle.js';
import {
  generationFor,
  K6_GENERATION_NAMES,
  K6_GENERATIONS,
  parseK6Version,
  type K6Generation,
} from '../../src/k6-script/generations.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import { sloLoadMap } from '../../src/slos/load-thresholds.js';
import { ROOT } from '../helpers.js';

const PROFILES = join(ROOT, 'load/profiles');

/** Evaluates a bundle as k6 would load it, with k6's modules stubbed: only `options` is read. */
function loadBundle(code: string, profileJson: string, generation: K6Generation, env: Record<string, string> = {}) {
  class Metric {
    add() {}
  }
  const served = K6_GENERATIONS[generation].serves;
  const stubs: Record<string, unknown> = {
    k6: { check: () => true },
    'k6/execution': { default: { vu: { idInTest: 1, iterationInScenario: 0 } } },
    'k6/http': { default: { asyncRequest: async () => ({}), expectedStatuses: () => ({}) } },
    'k6/metrics': { Rate: Metric, Trend: Metric, Counter: Metric },
  };
  const required: string[] = [];
  const require = (name: string) => {
    if (!served.includes(name)) throw new Error(`the bundle requires ${name}, which ${generation} k6 does not serve`);
    required.push(name);
    return stubs[name] ?? { WebSocket: class {}, setTimeout: () => 0, clearTimeout: () => {} };
  };
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require,
    open: () => profileJson,
    __ENV: { PROFILE_FILE: 'p.json', ...env },
    Math,
    JSON,
  });
  return { options: module.exports.options as { thresholds: unknown; scenarios: Record<string, unknown> }, required };
}

describe('k6 generations', () => {
  it('pick the generation from `k6 version`', () => {
    const pick = (out: string) => generationFor(parseK6Version(out)!);
    assert.equal(pick('k6 v0.48.0 (go1.19.8, linux/amd64)'), 'legacy');
    assert.equal(pick('k6 v0.53.0 (commit/abc, go1.22, linux/amd64)'), 'legacy');
    assert.equal(pick('k6 v0.57.0 (go1.23.4, linux/amd64)'), 'transitional');
    assert.equal(pick('k6 v1.0.0 (commit/41b4984b75, go1.24.2, linux/amd64)'), 'transitional');
    assert.equal(pick('k6 v1.6.0 (go1.25, linux/amd64)'), 'current');
    assert.equal(pick('k6 v2.0.0 (go1.26, linux/amd64)'), 'current');
    assert.equal(pick('k6 v0.47.0 (go1.21, linux/amd64)'), undefined);
    assert.equal(parseK6Version('not k6'), undefined);
  });

  it('find k6 by K6_BIN first, then PATH, then ../shared/tools/k6/k6', async () => {
    assert.deepEqual(k6Candidates('/p/project', { K6_BIN: '/opt/k6' }), ['/opt/k6', 'k6', '/p/shared/tools/k6/k6']);
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-k6bin-'));
    try {
      const fake = join(dir, 'k6');
      await writeFile(fake, '#!/bin/sh\necho "k6 v1.7.1 (commit/x, go1.25, linux/amd64)"\n');
      await chmod(fake, 0o755);
      assert.deepEqual(await findK6(dir, { K6_BIN: fake, PATH: '' }), {
        path: fake,
        version: [1, 7, 1],
        generation: 'current',
      });
      await assert.rejects(
        findK6(dir, { K6_BIN: join(dir, 'missing'), PATH: '' }),
        /K6_BIN=.*does not run `k6 version`/,
      );
      await writeFile(fake, '#!/bin/sh\necho "k6 v0.40.0 (go1.18, linux/amd64)"\n');
      await assert.rejects(
        findK6(dir, { K6_BIN: fake, PATH: '' }),
        /k6 v0\.40\.0, which no bundle generation supports/,
      );
      assert.equal(
        await findK6(dir, { PATH: '' }),
        undefined,
        'none on PATH and no ../shared/tools/k6 beside this root',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('k6 bundles', () => {
  let dir: string;
  const code: Partial<Record<K6Generation, string>> = {};
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-k6-'));
    for (const g of K6_GENERATION_NAMES)
      code[g] = await readFile(await bundleK6({ generation: g, outfile: join(dir, `${g}.js`) }), 'utf8');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("each generation's bundle requires only modules that generation serves", () => {
    assert.deepEqual(bundleRequires(code.legacy!), [
      'k6',
      'k6/execution',
      'k6/experimental/timers',
      'k6/experimental/websockets',
      'k6/http',
      'k6/metrics',
    ]);
    assert.deepEqual(bundleRequires(code.transitional!), [
      'k6',
      'k6/execution',
      'k6/experimental/websockets',
      'k6/http',
      'k6/metrics',
    ]);
    assert.deepEqual(bundleRequires(code.current!), ['k6', 'k6/execution', 'k6/http', 'k6/metrics', 'k6/websockets']);
    for (const g of K6_GENERATION_NAMES) assert.deepEqual(checkBundle(code[g]!, g), [], g);
    // The current bundle cannot load on a legacy k6 (no k6/websockets there), nor the legacy one on current k6.
    assert.match(checkBundle(code.current!, 'legacy').join('\n'), /requires "k6\/websockets"/);
    assert.match(checkBundle(code.legacy!, 'current').join('\n'), /requires "k6\/experimental\/timers"/);
  });

  it('the legacy bundle uses no timer global; a bundle that does fails the check', () => {
    assert.deepEqual(freeGlobalUses(code.legacy!, ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval']), []);
    // What load/k6/client.ts did before: a bare setTimeout in sleep().
    const bare = code.legacy!.replace(/\(0, import_timers\.setTimeout\)\(/, 'setTimeout(');
    assert.notEqual(bare, code.legacy, 'the legacy bundle calls the timers module');
    assert.match(
      checkBundle(bare, 'legacy').join('\n'),
      /line \d+ uses the global setTimeout, which the legacy generation lacks/,
    );
    // Through globalThis it is the same global.
    assert.match(checkBundle(code.transitional!, 'legacy').join('\n'), /uses the global setTimeout/);
    // Locally declared names and properties are not globals.
    assert.deepEqual(
      freeGlobalUses('function f(setTimeout) { setTimeout(1); } var o = { setTimeout: 1 }; o.setTimeout();', [
        'setTimeout',
      ]),
      [],
    );
  });

  it('options.thresholds in each bundle are the ones derived from the SLOs, for every profile', async () => {
    assert.doesNotMatch(code.legacy!, /\bzod\b/, 'no validation library in the k6 bundle');
    for (const name of ['moderate', 'smoke', 'soak', 'stress']) {
      const json = await readFile(join(PROFILES, `${name}.json`), 'utf8');
      const profile = await loadProfile(join(PROFILES, `${name}.json`));
      for (const g of K6_GENERATION_NAMES) {
        const { options, required } = loadBundle(code[g]!, json, g);
        assert.ok(required.includes(K6_GENERATIONS[g].websockets), `${g} loads ${K6_GENERATIONS[g].websockets}`);
        // The bundle runs in its own realm: compare as plain data.
        assert.deepEqual(
          JSON.parse(JSON.stringify(options)),
          JSON.parse(JSON.stringify(k6Options(profile, sloLoadMap()))),
          `${name} / ${g}`,
        );
      }
      const scoped = loadBundle(code.legacy!, json, 'legacy', { SCENARIOS: 'auth,posts' }).options;
      assert.deepEqual(Object.keys(scoped.scenarios), ['auth', 'posts']);
    }
  });
});
