// A VU makes the same choices run to run and in both runners: the one seeded PRNG, from the kernel.
export { seededRandom } from '../../src/kernel/random.js';

/** Seeds differ per VU and stay far apart. */
export const vuSeed = (vuId: number): number => vuId * 7919;
