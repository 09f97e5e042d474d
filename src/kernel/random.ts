// mulberry32: a tiny seeded PRNG, pure and Node-free (the k6 bundle uses it too), for choices that must
// repeat run to run: a VU's actions in both load runners, the baseline bootstrap's resamples.
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
