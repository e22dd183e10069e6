// The one-time setup link printed at first start: a random token kept (hashed) in the app's
// memory only (app.state.setupToken), valid for 24 hours and for one setup. A restart prints a new one.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppState } from '../state.ts';

const TTL_MS = 24 * 60 * 60 * 1000;
const digest = (token: string) => createHash('sha256').update(token).digest();

export function issueSetupToken(state: AppState, now = Date.now()): string {
  const token = randomBytes(24).toString('base64url');
  state.setupToken = { hash: digest(token), expires: now + TTL_MS };
  return token;
}

/** True once for the right, unexpired token; the token is spent on success. */
export function consumeSetupToken(state: AppState, token: string, now = Date.now()): boolean {
  const current = state.setupToken;
  if (!current || current.expires < now) return false;
  const ok = timingSafeEqual(digest(token), current.hash);
  if (ok) state.setupToken = null;
  return ok;
}
