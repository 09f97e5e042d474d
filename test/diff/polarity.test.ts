// Which way a threshold change pulls an alert, through the operators that turn it around
// (src/diff/polarity.ts). Each case is a real-shaped alert expression, base → head.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffThresholds, extractThresholds } from '../../src/diff/index.js';

/** The verdicts of the changed comparisons, with their polarity note. */
const judge = (old: string, now: string) =>
  diffThresholds(extractThresholds(old), extractThresholds(now)).map(
    (t) =>
      `${t.old?.op} ${t.old?.literal} → ${t.new?.op} ${t.new?.literal}: ${t.verdict}${t.polarity ? ` (${t.polarity})` : ''}`,
  );

describe('diff: threshold polarity', () => {
  it('unless: a looser guard on the right suppresses more, so the alert is weaker', () => {
    // "the API is down, unless it restarted in the last 5 minutes"
    const expr = (t: number) =>
      `up{job="api"} == 0 unless on (instance) time() - process_start_time_seconds{job="api"} < ${t}`;
    assert.deepEqual(judge(expr(300), expr(600)), ['< 300 → < 600: weaker (inverted)']);
    assert.deepEqual(judge(expr(300), expr(120)), ['< 300 → < 120: stricter (inverted)']);
    // The same guard with `>`: lowering it suppresses more (the case the issue found reported stricter).
    const ratio = (t: number) =>
      `job:http_requests_5xx:ratio_rate5m > 0.05 unless on (job) job:maintenance_window:active > ${t}`;
    assert.deepEqual(judge(ratio(0.5), ratio(0)), ['> 0.5 → > 0: weaker (inverted)']);
    // The left side of `unless` keeps its direction.
    assert.deepEqual(judge(ratio(0.5).replace('0.05', '0.1'), ratio(0.5)), ['> 0.1 → > 0.05: stricter']);
  });

  it('absent() and absent_over_time(): inverted', () => {
    // fires when no API series has traffic: a higher bar for "has traffic" fires it more
    const absent = (t: number) => `absent(sum by (job) (rate(http_requests_total{job="api"}[5m])) > ${t})`;
    assert.deepEqual(judge(absent(0), absent(1)), ['> 0 → > 1: stricter (inverted)']);
    assert.deepEqual(judge(absent(1), absent(0)), ['> 1 → > 0: weaker (inverted)']);
    const probe = (t: number) => `absent_over_time((probe_duration_seconds{job="blackbox"} < ${t})[10m:1m])`;
    assert.deepEqual(judge(probe(2), probe(5)), ['< 2 → < 5: weaker (inverted)']);
  });

  it('and / or keep the direction on both sides (a minimum-traffic guard raised is weaker)', () => {
    const and = (t: number) =>
      `job:http_requests_5xx:ratio_rate5m > 0.005 and on (job) sum by (job) (rate(http_requests_total[5m])) > ${t}`;
    assert.deepEqual(judge(and(1), and(2)), ['> 1 → > 2: weaker']);
    const or = (t: number) =>
      `node_load15 / count without (cpu) (node_cpu_seconds_total{mode="idle"}) > 2 or node_load1 > ${t}`;
    assert.deepEqual(judge(or(10), or(20)), ['> 10 → > 20: weaker']);
  });

  it('a comparison written the other way round, and a negated operand, are normalised first', () => {
    assert.deepEqual(judge('0.3 < job:latency:p95', '0.5 < job:latency:p95'), ['> 0.3 → > 0.5: weaker']);
    // -x < -5 is x > 5: -10 asks for x > 10
    assert.deepEqual(judge('-node_filesystem_avail_bytes < -5', '-node_filesystem_avail_bytes < -10'), [
      '< -5 → < -10: weaker',
    ]);
  });

  it('bool: judged by where its 0/1 goes; through sum it keeps the direction, through avg it is unknown', () => {
    const sum = (t: number) => `sum by (job) (probe_duration_seconds{job="blackbox"} > bool ${t}) > 3`;
    assert.deepEqual(judge(sum(1), sum(2)), ['> 1 → > 2: weaker']);
    const avg = (t: number) => `avg by (job) (probe_duration_seconds{job="blackbox"} > bool ${t}) > 0.5`;
    assert.deepEqual(judge(avg(1), avg(2)), ['> 1 → > 2: review (unknown)']);
  });

  it('a filter inside count keeps the direction; one inside avg is unknown', () => {
    const count = (t: number) => `count by (job) (up{job="api"} == 0 or rate(errors_total[5m]) > ${t}) > 2`;
    assert.deepEqual(judge(count(1), count(5)), ['> 1 → > 5: weaker']);
    const avg = (t: number) => `avg(rate(node_cpu_seconds_total{mode!="idle"}[5m]) > ${t}) > 0.8`;
    assert.deepEqual(judge(avg(0.1), avg(0.2)), ['> 0.1 → > 0.2: review (unknown)']);
  });
});
