// A small parser for the Prometheus text exposition format (and the OpenMetrics subset services
// emit): metric families with their TYPE, HELP, and samples with labels.

export interface ExpoSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ExpoFamily {
  readonly name: string;
  type: string;
  help: string;
  readonly samples: ExpoSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_gcount', '_gsum', '_info'];

const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

export function parseExposition(text: string): Map<string, ExpoFamily> {
  const families = new Map<string, ExpoFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (!m) continue;
      if (m[1] === 'TYPE') family(m[2]!).type = m[3]!.trim();
      else family(m[2]!).help = unescape(m[3]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k!] = unescape(v!);
    // The family: declared under the sample's own name, or its name without a type suffix.
    let owner = families.get(name);
    if (!owner) {
      const suffix = SUFFIXES.find((s) => name.endsWith(s));
      const base = suffix ? name.slice(0, -suffix.length) : undefined;
      owner = (base && families.get(base)) || family(name);
    }
    owner.samples.push({ name, labels, value: Number(m[3]) });
  }
  return families;
}
