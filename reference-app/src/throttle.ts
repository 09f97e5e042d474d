// Login throttling. Failed logins are counted in Redis (so every app instance shares the counts) per
// username and per client IP, each in a fixed window that starts with its first failure. Past either
// limit, logins are refused with 429 + Retry-After before the password is checked, so a guesser
// learns nothing more; a correct password resets the username's count. Unknown usernames are counted
// like known ones (no account enumeration). Redis unreachable: logins go unthrottled (logged), as
// login itself needs only PostgreSQL.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { tooManyAttempts } from './errors.js';
import type { RedisClients } from './redis.js';

type Limits = Pick<Config, 'LOGIN_THROTTLE_WINDOW_S' | 'LOGIN_MAX_FAILURES_PER_ACCOUNT' | 'LOGIN_MAX_FAILURES_PER_IP'>;

export interface LoginThrottle {
  /** Throws the 429 when the username or the IP is over its limit. */
  check(username: string, ip: string): Promise<void>;
  failed(username: string, ip: string): Promise<void>;
  succeeded(username: string): Promise<void>;
}

const accountKey = (username: string) => `login:failures:account:${username}`;
const ipKey = (ip: string) => `login:failures:ip:${ip}`;

export function loginThrottle(redis: RedisClients, limits: Limits, log: Logger): LoginThrottle {
  let down = false;
  /** Runs a Redis step; when Redis is away, warns once and carries on unthrottled. */
  async function bestEffort<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await fn();
      down = false;
      return result;
    } catch (err) {
      if (!down) log.warn({ err: (err as Error).message }, 'login throttling unavailable: redis unreachable');
      down = true;
      return undefined;
    }
  }

  return {
    async check(username, ip) {
      const found = await bestEffort(() =>
        redis.run(async (r) => {
          const [account, fromIp, accountTtl, ipTtl] = await Promise.all([
            r.get(accountKey(username)),
            r.get(ipKey(ip)),
            r.ttl(accountKey(username)),
            r.ttl(ipKey(ip)),
          ]);
          return { account: Number(account ?? 0), fromIp: Number(fromIp ?? 0), accountTtl, ipTtl };
        }),
      );
      if (!found) return;
      const retry = (ttl: number) => Math.max(1, ttl > 0 ? ttl : limits.LOGIN_THROTTLE_WINDOW_S);
      if (found.account >= limits.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
        const s = retry(found.accountTtl);
        throw tooManyAttempts(`too many failed logins for this username; retry in ${s} s`, s);
      }
      if (found.fromIp >= limits.LOGIN_MAX_FAILURES_PER_IP) {
        const s = retry(found.ipTtl);
        throw tooManyAttempts(`too many failed logins from this address; retry in ${s} s`, s);
      }
    },
    async failed(username, ip) {
      const window = limits.LOGIN_THROTTLE_WINDOW_S;
      // SET NX EX starts the window with the first failure; INCR keeps its expiry.
      await bestEffort(() =>
        redis.run((r) =>
          r
            .multi()
            .set(accountKey(username), 0, 'EX', window, 'NX')
            .incr(accountKey(username))
            .set(ipKey(ip), 0, 'EX', window, 'NX')
            .incr(ipKey(ip))
            .exec(),
        ),
      );
    },
    async succeeded(username) {
      await bestEffort(() => redis.run((r) => r.del(accountKey(username))));
    },
  };
}
