// The package's load profiles (load/profiles/*.json), read when the definitions load: synth writes a
// TestRun per profile (src/synth/kubernetes.ts), the release-gate dashboard draws their check pass rate.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseProfile, ProfileError, type Profile } from '../load-contract/profile.js';

/** Load profiles are definitions of this package, like the k6 entry the bundle is built from. */
const PROFILE_DIR = 'load/profiles';
const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');

/** Every profile of the package, by file name. */
export function packageProfiles(): Profile[] {
  const names = readdirSync(resolve(PACKAGE_ROOT, PROFILE_DIR))
    .filter((n) => n.endsWith('.json') && n !== 'profile.schema.json')
    .sort();
  return names.map((n) => {
    const file = `${PROFILE_DIR}/${n}`;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(resolve(PACKAGE_ROOT, file), 'utf8'));
    } catch (err) {
      throw new ProfileError(file, '(file)', `not valid JSON: ${(err as Error).message}`);
    }
    return parseProfile(file, data);
  });
}
