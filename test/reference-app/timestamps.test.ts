// timestamptz text -> the ISO string the API sends: equal to what JSON.stringify made of pg's Date
// for every UTC value, through pg's own parser for anything else (feed.test.ts checks it against a
// real PostgreSQL).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { parseTimestamptz } from '../../reference-app/src/timestamps.js';

const viaDate = (text: string) => JSON.parse(JSON.stringify({ v: pg.types.getTypeParser(1184, 'text')(text) })).v;

test('equals the serialized Date for UTC text of every fraction length, including cut-off milliseconds', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const two = (n: number) => String(n).padStart(2, '0');
  const cases = [
    '2026-11-25 12:30:26.999999+00',
    '2026-11-25 12:30:26+00',
    '0050-01-01 00:00:00.5+00',
    '9999-12-31 23:59:59.9995+00',
  ];
  for (let i = 0; i < 5000; i++) {
    const frac = String(rand(1_000_000)).padStart(6, '0').slice(0, rand(7)).replace(/0+$/, '');
    cases.push(
      `${String(1000 + rand(9000))}-${two(1 + rand(12))}-${two(1 + rand(28))} ${two(rand(24))}:${two(rand(60))}:${two(rand(60))}${frac ? `.${frac}` : ''}+00`,
    );
  }
  for (const text of cases) assert.equal(parseTimestamptz(text), viaDate(text), text);
  // Rounding instead of cutting would be off by a millisecond here (and a second at .9995).
  assert.equal(parseTimestamptz('2026-11-25 12:30:26.999999+00'), '2026-11-25T12:30:26.999Z');
});

test('anything but UTC text is pg’s Date (or value), unchanged', () => {
  for (const text of [
    '2026-11-25 12:30:26.123+05:30',
    '2026-11-25 12:30:26-08',
    '0044-03-15 12:00:00+00 BC',
    '12026-01-01 00:00:00+00',
  ]) {
    const got = parseTimestamptz(text);
    assert.ok(got instanceof Date, text);
    assert.equal(JSON.stringify(got), JSON.stringify(pg.types.getTypeParser(1184, 'text')(text)), text);
  }
  assert.equal(parseTimestamptz('infinity'), Infinity);
});
