// mulberry32: a tiny seeded PRNG, so a VU makes the same choices run to run and in both runners.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeds differ per VU and stay far apart. */
export const vuSeed = (vuId: number): number => vuId * 7919;
