// Reading what k6 says while it runs (it runs with --log-format=json): JavaScript exceptions, the
// first error of each scenario's failing iterations (load/k6/main.ts prints them with a marker), and
// remote-write failures of the Prometheus output. None of these reach the summary export, and each
// must fail the verdict rather than scroll past.
import { ITERATION_ERROR_LOG } from '../../load-contract/metrics.js';

export interface K6LogFindings {
  /** Uncaught exceptions and script errors k6 logged (other than our own iteration-error lines). */
  readonly exceptions: string[];
  /** First error message per scenario. */
  readonly iterationErrors: Record<string, string>;
  readonly remoteWriteErrors: string[];
  /** Log lines at warn/error that are none of the above, for the record. */
  readonly other: string[];
}

interface LogLine {
  level?: string;
  msg?: string;
  error?: string;
  output?: string;
  source?: string;
  scenario?: string;
}

const MAX_KEPT = 20;
const push = (list: string[], line: string) => void (list.length < MAX_KEPT && !list.includes(line) && list.push(line));

/** Parses k6's stderr (JSON log lines mixed with plain text) into findings. */
export function readK6Log(text: string): K6LogFindings {
  const found: K6LogFindings = { exceptions: [], iterationErrors: {}, remoteWriteErrors: [], other: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('{')) continue;
    let log: LogLine;
    try {
      log = JSON.parse(line) as LogLine;
    } catch {
      continue;
    }
    const msg = log.msg ?? '';
    if (msg.startsWith(ITERATION_ERROR_LOG)) {
      try {
        const { scenario, message } = JSON.parse(msg.slice(ITERATION_ERROR_LOG.length)) as {
          scenario: string;
          message: string;
        };
        found.iterationErrors[scenario] ??= message;
      } catch {
        push(found.other, msg);
      }
      continue;
    }
    if (log.level !== 'error' && log.level !== 'warning' && log.level !== 'fatal') continue;
    const detail = log.error ? `${msg}: ${log.error}` : msg;
    if (/remote write/i.test(log.output ?? '')) push(found.remoteWriteErrors, detail);
    else if (/^Uncaught\b|\b[A-Z][A-Za-z]*Error: /.test(msg) || log.source === 'stacktrace')
      push(found.exceptions, detail.split('\n')[0]!);
    else push(found.other, detail);
  }
  return found;
}
