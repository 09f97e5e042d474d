// Reads a load profile file (load/profiles/*.json) and checks it against the contract's schema
// (src/load-contract/profile.ts), which stays free of Node so the k6 bundle can share it.
import { readFile } from 'node:fs/promises';
import { steadyProblem } from '../load-contract/phases.js';
import { parseProfile, ProfileError, type Profile } from '../load-contract/profile.js';

export async function loadProfile(file: string): Promise<Profile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ProfileError(
      file,
      '(file)',
      err instanceof SyntaxError ? `not valid JSON: ${err.message}` : String((err as Error).message),
    );
  }
  const profile = parseProfile(file, data);
  // The verdict judges the steady phase strictly (src/load-contract/phases.ts): a run needs one.
  const steady = steadyProblem(profile);
  if (steady) throw new ProfileError(file, 'scenarios', steady);
  return profile;
}
