// Passwords (scrypt), access tokens (HMAC-SHA256 signed, short-lived) and refresh tokens (random,
// stored as SHA-256 hashes, rotated on every use; reuse of a rotated token revokes the whole family).
import {
  createHash,
  createHmac,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { unauthorized } from './errors.js';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

const KEYLEN = 32;

/** `scrypt$N$r$p$salt$hash` (base64url), so the cost can change without invalidating old hashes. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const opts = { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + (1 << 20) };
  const key = await scrypt(password, salt, KEYLEN, opts);
  return ['scrypt', cost, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n);
  const opts = { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) + (1 << 20) };
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, opts);
  return timingSafeEqual(key, expected);
}

interface AccessClaims {
  sub: number;
  exp: number;
  typ: 'access';
}

export class TokenSigner {
  private readonly key: Buffer;
  constructor(
    secret: string,
    private readonly ttlS: number,
  ) {
    this.key = Buffer.from(secret);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  issueAccess(userId: number, now = Date.now()): { token: string; expiresIn: number } {
    const claims: AccessClaims = { sub: userId, exp: Math.floor(now / 1000) + this.ttlS, typ: 'access' };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${payload}.${this.mac(payload)}`, expiresIn: this.ttlS };
  }

  /** The user id of a valid, unexpired access token; throws 401 otherwise. */
  verifyAccess(token: string, now = Date.now()): number {
    const dot = token.indexOf('.');
    if (dot <= 0) throw unauthorized('malformed access token');
    const payload = token.slice(0, dot);
    const sig = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw unauthorized('invalid access token');
    let claims: AccessClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as AccessClaims;
    } catch {
      throw unauthorized('malformed access token');
    }
    if (claims.typ !== 'access' || !Number.isInteger(claims.sub)) throw unauthorized('invalid access token');
    if (claims.exp * 1000 <= now) throw unauthorized('access token expired');
    return claims.sub;
  }
}

export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
