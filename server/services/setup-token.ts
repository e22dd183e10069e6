// The one-time setup link printed at first start: a random token kept (hashed) in this process's
// memory only, valid for 24 hours and for one setup. A restart prints a new one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TTL_MS = 24 * 60 * 60 * 1000;
let current: { hash: Buffer; expires: number } | null = null;
const digest = (token: string) => createHash('sha256').update(token).digest();

export function issueSetupToken(now = Date.now()): string {
  const token = randomBytes(24).toString('base64url');
  current = { hash: digest(token), expires: now + TTL_MS };
  return token;
}

/** True once for the right, unexpired token; the token is spent either way on success. */
export function consumeSetupToken(token: string, now = Date.now()): boolean {
  if (!current || current.expires < now) return false;
  const ok = timingSafeEqual(digest(token), current.hash);
  if (ok) current = null;
  return ok;
}
