// The kernel is the ground floor: it imports packages, Node and itself, never a folder above it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers.js';

test('src/kernel imports nothing from the rest of the project', () => {
  const dir = join(ROOT, 'src/kernel');
  const upward = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map(
        (m) => `${f}: ${m[1]}`,
      ),
    )
    .filter((line) => /: \.\.?\//.test(line) && !/: \.\/[^/]+$/.test(line));
  assert.deepEqual(upward, []);
});
