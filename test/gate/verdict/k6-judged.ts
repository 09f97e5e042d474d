// The live verdict tests' one way to make a real run: the real k6 against a local stack, remote-writing
// to its Prometheus, judged from every source, the verdict parsed back through its schema.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { K6Binary } from '../../../src/gate/k6-driver/binary.js';
import { runK6 } from '../../../src/gate/k6-driver/run.js';
import { judgeRun, parseVerdict, type Verdict } from '../../../src/gate/verdict/index.js';
import type { Profile } from '../../../src/load-contract/profile.js';
import type { LocalStack } from '../../../src/live/stack.js';
import { ROOT } from '../../helpers.js';

/** Runs `profile` once under a fresh testid (`<prefix>-…`, its files in OUT/<testid>) and judges it. */
export async function judgedK6Run(
  opts: { k6: K6Binary; stack: LocalStack; profile: Profile; out: string; prefix: string },
  onStart: () => void = () => {},
): Promise<Verdict> {
  const { k6, stack, profile } = opts;
  const testid = `${opts.prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const remoteWriteUrl = `${stack.prometheus.url}/api/v1/write`;
  onStart();
  const r = await runK6({
    root: ROOT,
    k6,
    profile,
    target: new URL(stack.app.base),
    out: join(opts.out, testid),
    allowedHosts: [],
    testid,
    remoteWriteUrl,
    echo: () => {},
  });
  return parseVerdict(
    await judgeRun({
      profile,
      summary: JSON.parse(await readFile(r.summaryFile, 'utf8')),
      runner: { kind: 'k6', generation: k6.generation },
      start: r.start,
      end: r.end,
      prometheus: stack.prometheus.url,
      firstErrors: r.log.iterationErrors,
      runFailures: r.failures,
      remoteWrite: { url: remoteWriteUrl, testid, errors: r.log.remoteWriteErrors },
      ...(r.cpu ? { loadGenerator: { cpu: r.cpu } } : {}),
    }),
  );
}
