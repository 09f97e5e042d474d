// Response schemas of the routes that return posts. fastify compiles them with fast-json-stringify,
// which serializes a feed page faster than JSON.stringify (docs/reference-app.md, Performance).
// Every field is required, so a query that stops selecting one fails (500) instead of silently
// shipping posts without it; the property order is the query's column order, so the bytes are the
// ones JSON.stringify produced before.
const int = { type: 'integer' } as const;
const time = { type: 'string', format: 'date-time' } as const;

const postProperties = {
  id: int,
  author_id: int,
  author: { type: 'string' },
  body: { type: 'string' },
  created_at: time,
  updated_at: time,
  like_count: int,
  comment_count: int,
  liked_by_me: { type: 'boolean' },
} as const;

export const postJson = {
  type: 'object',
  properties: postProperties,
  required: Object.keys(postProperties),
  additionalProperties: false,
} as const;

export const feedPageJson = {
  type: 'object',
  properties: { items: { type: 'array', items: postJson }, next_cursor: { type: ['string', 'null'] } },
  required: ['items', 'next_cursor'],
  additionalProperties: false,
} as const;
