// Desk sign-in. The browser derives an auth key from the password (Argon2id, PROTOCOL.md §5);
// the server compares its hash in constant time. Unknown accounts get a deterministic fake salt
// and the same work and answer as a wrong password. Failures slow down per account, counted in
// the app's memory (app.state.loginFailures).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { serverSecrets, totpState, users } from '../../db/schema.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { PASSWORD_KDF, hashAuthKey, type KdfParams } from '../../protocol/keys.ts';
import { AppError } from '../errors.ts';
import type { LoginFailures, Store } from '../state.ts';
import { matchTotp, newTotpSecret } from './totp.ts';

export type User = typeof users.$inferSelect;

/** A named 32-byte secret kept in server_secrets, made on first use. */
export function serverSecret(db: Conn, name: string): Buffer {
  const row = db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).get();
  if (row) return Buffer.from(row.value, 'base64url');
  const value = randomBytes(32);
  db.insert(serverSecrets).values({ name, value: value.toString('base64url') }).onConflictDoNothing().run();
  return Buffer.from(db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).get()!.value, 'base64url');
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function findUser(db: Conn, email: string): User | undefined {
  const user = db.select().from(users).where(eq(users.email, normaliseEmail(email))).get();
  return user && !user.disabledAt ? user : undefined;
}

/** The account behind a session, unless it was disabled since. */
export function findActiveUser(db: Conn, id: string): User | undefined {
  const user = db.select().from(users).where(eq(users.id, id)).get();
  return user && !user.disabledAt ? user : undefined;
}

/** KDF parameters for an email: the account's own, or a fake salt that is stable per email. */
export function prelogin(db: Conn, email: string): KdfParams {
  const user = findUser(db, email);
  if (user) return { salt: user.kdfSalt, opslimit: user.kdfOpslimit, memlimit: user.kdfMemlimit };
  const fake = createHmac('sha256', serverSecret(db, 'fake-salt')).update(normaliseEmail(email)).digest().subarray(0, 16);
  return { salt: toBase64Url(fake), ...PASSWORD_KDF };
}

// Per-account slow-down: after 3 failures, wait 2^(n-3) seconds (at most 15 minutes). Real
// accounts are counted by id in their own store, so made-up emails cannot evict them (§34.4).
const failureKey = (email: string) => createHash('sha256').update(normaliseEmail(email)).digest('base64url');

export interface FailureStores { loginFailures: Store<LoginFailures>; unknownLoginFailures: Store<LoginFailures> }

function failureSlot(stores: FailureStores, db: Conn, email: string): { store: Store<LoginFailures>; key: string } {
  const user = findUser(db, email);
  return user ? { store: stores.loginFailures, key: user.id } : { store: stores.unknownLoginFailures, key: failureKey(email) };
}

export function checkThrottle(stores: FailureStores, db: Conn, email: string, now = Date.now()): void {
  const { store, key } = failureSlot(stores, db, email);
  const entry = store.get(key, now);
  if (entry && entry.until > now) throw new AppError(429, 'too_many_attempts');
}

export function recordFailure(stores: FailureStores, db: Conn, email: string, now = Date.now()): void {
  const { store, key } = failureSlot(stores, db, email);
  const count = (store.get(key, now)?.count ?? 0) + 1;
  const delay = count < 3 ? 0 : Math.min(2 ** (count - 3) * 1000, 15 * 60_000);
  store.set(key, { count, until: now + delay }, now);
}

export function clearFailures(stores: FailureStores, db: Conn, email: string): void {
  const { store, key } = failureSlot(stores, db, email);
  store.delete(key);
}

const DUMMY_HASH = Buffer.alloc(32);

/** The user whose password-derived auth key this is, or null (same work either way). */
export async function verifyAuthKey(db: Conn, email: string, authKey: string): Promise<User | null> {
  const user = findUser(db, email);
  const key = fromBase64Url(authKey);
  const presented = Buffer.from(await hashAuthKey(key && key.length === 32 ? key : new Uint8Array(32)), 'base64url');
  const stored = user ? Buffer.from(user.authHash, 'base64url') : DUMMY_HASH;
  const equal = stored.length === presented.length && timingSafeEqual(presented, stored);
  return user && equal && key?.length === 32 ? user : null;
}

/** Starts (or restarts) TOTP enrolment: a new secret, pending until a code proves it was saved. */
export function beginTotpEnrolment(db: Conn, user: User): string {
  const secret = newTotpSecret();
  db.insert(totpState).values({ userId: user.id, pendingSecret: secret, lastStep: 0 })
    .onConflictDoUpdate({ target: totpState.userId, set: { pendingSecret: secret } }).run();
  return secret;
}

/**
 * Checks a TOTP code against the enrolled secret (or the pending one while enrolling) and burns
 * its time step, so the same code cannot be used twice.
 */
export function acceptTotp(db: Conn, user: User, code: string, enrolling: boolean, now = Date.now()): boolean {
  const state = db.select().from(totpState).where(eq(totpState.userId, user.id)).get();
  const secret = enrolling ? state?.pendingSecret : user.totpSecret;
  if (!secret) return false;
  const step = matchTotp(secret, code, now);
  if (step === null || step <= (state?.lastStep ?? 0)) return false;
  db.transaction((tx) => {
    tx.insert(totpState).values({ userId: user.id, pendingSecret: null, lastStep: step })
      .onConflictDoUpdate({ target: totpState.userId, set: { lastStep: step, pendingSecret: enrolling ? null : state?.pendingSecret ?? null } }).run();
    if (enrolling) tx.update(users).set({ totpSecret: secret }).where(eq(users.id, user.id)).run();
  });
  return true;
}
