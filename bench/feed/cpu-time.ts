// CPU seconds spent by processes, from /proc (Linux): with the machine shared, latency moves with
// everyone else's load, but CPU time per request is each process's own cost. Undefined off Linux.
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ: 100 on every Linux architecture Node supports

interface Stat {
  ppid: number;
  /** utime + stime (own), cutime + cstime (reaped children), in seconds. */
  self: number;
  children: number;
}

function stat(pid: number | 'self'): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      self: (Number(f[11]) + Number(f[12])) / TICK,
      children: (Number(f[13]) + Number(f[14])) / TICK,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process and all its live descendants (PostgreSQL: the postmaster and backends). */
export function treeCpuSeconds(root: number): number | undefined {
  const parents = new Map<number, number>();
  const own = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const d of pids) {
    const s = stat(Number(d));
    if (s) (parents.set(Number(d), s.ppid), own.set(Number(d), s.self));
  }
  if (!own.has(root)) return undefined;
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = parents.get(p), hops++)
      if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, s] of own) if (inTree(pid)) total += s;
  return total;
}

/** CPU seconds of this process's children that have exited and been reaped (e.g. a finished k6). */
export function reapedChildrenCpuSeconds(): number | undefined {
  return stat('self')?.children;
}
