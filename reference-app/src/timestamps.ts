// timestamptz values as the API's ISO strings, made straight from PostgreSQL's text output. The app
// only ever serialized the Date objects pg built from them; building ~40 per feed page (a regex
// parse, then toISOString) was ~6% of the app's CPU (docs/reference-app.md, Performance). The string
// is the one JSON.stringify(date) gave, for every value: the fraction is cut to milliseconds, as
// postgres-date + Date.UTC do. The fast path needs UTC output (the pool sets TimeZone=UTC); any
// other text (another offset, BC, a 5-digit year, infinity) goes through pg's parser unchanged.
import pg from 'pg';

const TIMESTAMPTZ = 1184;
const fallback = pg.types.getTypeParser(TIMESTAMPTZ, 'text');
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

export function parseTimestamptz(text: string): unknown {
  const m = UTC_TEXT.exec(text);
  if (!m) return fallback(text);
  const frac = m[3] ?? '';
  return `${m[1]}T${m[2]}.${(frac + '000').slice(0, 3)}Z`;
}

/** pg's `types` option: timestamptz as ISO strings, everything else as pg parses it. */
export const apiTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
