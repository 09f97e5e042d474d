// Results kept by the content they were computed from. A key is a digest of every byte a result
// depends on (and of the tool that computed it), so an entry can only be found again for identical
// inputs: a cache of this kind can make verify faster, never more lenient. One JSON file per kind of
// result under the package's cache directory, written atomically (tests run verifies side by side).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_DIR } from './typecheck.js';

/** Bump when the meaning of stored values changes: older files are then ignored whole. */
const FORMAT = 1;

export type Digestible = string | Buffer | Uint8Array;

/** sha256 over the parts, each length-prefixed so that no two different part lists collide. */
export function digest(...parts: readonly Digestible[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${typeof p === 'string' ? Buffer.byteLength(p) : p.length}:`).update(p);
  return hash.digest('hex');
}

export class ContentStore<T> {
  private readonly entries: Map<string, T>;
  private readonly touched = new Set<string>();
  private changed = false;

  /** `keep`: at most this many entries survive a save (the ones used in this run first). */
  constructor(
    readonly name: string,
    private readonly keep = 20_000,
    readonly file = join(CACHE_DIR, `${name}.json`),
  ) {
    this.entries = ContentStore.read<T>(this.file);
  }

  private static read<T>(file: string): Map<string, T> {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; entries?: Record<string, T> };
      return new Map(stored.format === FORMAT ? Object.entries(stored.entries ?? {}) : []);
    } catch {
      return new Map(); // no cache yet, or a torn one: start empty
    }
  }

  get(key: string): T | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) this.touched.add(key);
    return v;
  }

  set(key: string, value: T): void {
    this.entries.set(key, value);
    this.touched.add(key);
    this.changed = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Writes this run's entries over what is on disk now (another store of the same name, in this
   * process or another, may have saved since this one was read), then prunes to `keep`.
   */
  async save(): Promise<void> {
    if (!this.changed) return;
    const merged = ContentStore.read<T>(this.file);
    for (const k of this.touched) merged.delete(k);
    const used = [...this.touched].map((k) => [k, this.entries.get(k)!] as const);
    const kept = [...used, ...[...merged].reverse()].slice(0, this.keep);
    await mkdir(CACHE_DIR, { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(tmp, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(kept.reverse()) }));
    await rename(tmp, this.file);
    this.changed = false;
  }
}
