// PostgreSQL: a pool whose every query is timed and counted by statement kind, errors mapped to
// DependencyError when the server is unreachable (so handlers answer 503), and migrations at start.
import pg from 'pg';
import type { Logger } from 'pino';
import { metrics } from '../../src/catalog/index.js';
import { DependencyError, HttpError } from './errors.js';
import type { AppMetrics } from './metrics.js';
import { migrations } from './migrations.js';
import { apiTypes } from './timestamps.js';

type Operation = 'select' | 'insert' | 'update' | 'delete' | 'transaction';

function operationOf(sql: string): Operation {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(select|insert|update|delete)\b/i.exec(sql);
  const word = (m?.[1] ?? /^\s*(\w+)/.exec(sql)?.[1] ?? '').toLowerCase();
  return word === 'insert' || word === 'update' || word === 'delete' || word === 'select' ? word : 'transaction';
}

/** SQLSTATE classes that mean "the server is not there" rather than "the statement was wrong". */
function isUnavailable(err: unknown): boolean {
  if (err instanceof HttpError) return false;
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return /^(08|57|53)/.test(e.code);
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return true; // ECONNREFUSED, ECONNRESET, ...
  return /connection|terminated|timeout|timed out|connect/i.test(String(e?.message));
}

// Every statement text gets a stable name, so each pooled connection parses and plans it once
// (the feed's correlated subqueries cost more to plan than to run).
const statementNames = new Map<string, string>();
function named(sql: string, params?: unknown[]): pg.QueryConfig {
  let name = statementNames.get(sql);
  if (!name && statementNames.size < 1000) statementNames.set(sql, (name = `s${statementNames.size + 1}`));
  return name ? { name, text: sql, values: params } : { text: sql, values: params };
}

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export class Database implements Queryable {
  readonly pool: pg.Pool;
  private readonly duration;
  private readonly errors;

  constructor(
    url: string,
    opts: { max: number; timeoutMs: number },
    m: AppMetrics,
    private readonly log: Logger,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.max,
      connectionTimeoutMillis: opts.timeoutMs,
      idleTimeoutMillis: 30_000,
      query_timeout: opts.timeoutMs * 5,
      statement_timeout: opts.timeoutMs * 5,
      application_name: 'stressgate-reference-app',
      // Timestamps come back as ISO strings (timestamps.ts), parsed fast in UTC. No query depends
      // on the session time zone: none casts a timestamptz to a date or formats one in SQL.
      options: '-c TimeZone=UTC',
      types: apiTypes,
    });
    // An idle client losing its server emits here; without a listener the process would crash.
    this.pool.on('error', (err) => this.log.warn({ err: err.message }, 'postgres idle client error'));
    this.duration = m.histogram(metrics.dbQueryDuration);
    this.errors = m.counter(metrics.dbQueryErrors);
  }

  private async timed<T>(operation: Operation, fn: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError && !(err instanceof DependencyError)) throw err;
      this.errors.inc({ operation });
      if (err instanceof DependencyError) throw err;
      if (isUnavailable(err)) throw new DependencyError('postgres', err);
      throw err;
    } finally {
      this.duration.observe({ operation }, Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  /** A pooled connection; the wait for it is not part of any query's duration (pool saturation is
   *  not database latency). Failing to connect counts as an error of `operation`. */
  private async connect(operation: Operation): Promise<pg.PoolClient> {
    try {
      const client = await this.pool.connect();
      // A checked-out client whose server goes away emits 'error' on itself, not on the pool: without
      // a listener that is an uncaught exception (found by the db fault drill, src/drills/faults.ts).
      if (!client.listenerCount('error'))
        client.on('error', (err) => this.log.warn({ err: err.message }, 'postgres client error'));
      return client;
    } catch (err) {
      this.errors.inc({ operation });
      throw new DependencyError('postgres', err);
    }
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const operation = operationOf(sql);
    const client = await this.connect(operation);
    let broken = false;
    try {
      return await this.timed(operation, () => client.query<R>(named(sql, params)));
    } catch (err) {
      broken = err instanceof DependencyError;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `fn` in a transaction (timed as 'transaction'; its statements are timed by kind too). */
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect('transaction');
    return this.timed('transaction', async () => {
      const q: Queryable = {
        query: <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) =>
          this.timed(operationOf(sql), () => client.query<R>(named(sql, params))),
      };
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = err instanceof DependencyError || isUnavailable(err);
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw err;
      } finally {
        client.release(broken);
      }
    });
  }

  async ping(timeoutMs: number): Promise<void> {
    await withTimeout(this.pool.query('SELECT 1'), timeoutMs, 'postgres ping');
  }

  /** Applies pending migrations in one transaction, serialised across instances by an advisory lock. */
  async migrate(): Promise<string[]> {
    const client = await this.pool.connect();
    const applied: string[] = [];
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(74210531)');
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
      );
      for (const mig of migrations) {
        if (done.has(mig.id)) continue;
        await client.query(mig.sql);
        await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [mig.id]);
        applied.push(mig.id);
      }
      await client.query('COMMIT');
      return applied;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}
