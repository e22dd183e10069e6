// State that outlives a request but not the process: counters, short sessions, one-time tokens,
// per-process keys. It belongs to one app instance (app.state, see plugins/state.ts), so two
// instances in one process share nothing, and each store is bounded by least-recently-used
// eviction, never by clearing everything. A shared store (for several processes behind a load
// balancer) would implement the same Store interface.
import { randomBytes } from 'node:crypto';
import type { UploadState } from './services/uploads.ts';
import { createKdfBudget, type KdfBudget } from './services/server-kdf.ts';

export interface Store<V> {
  get(key: string, now?: number): V | undefined;
  set(key: string, value: V, now?: number): void;
  delete(key: string): void;
  readonly size: number;
}

/**
 * A Map in least-recently-used order: reading or writing a key moves it to the end, and when
 * full the oldest entry goes. Entries older than ttlMs (since last written) read as absent.
 */
export class LruStore<V> implements Store<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(readonly maxEntries: number, readonly ttlMs = Infinity) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now - entry.at > this.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Failed sign-ins of one account: how many, and until when the next try must wait. */
export interface LoginFailures { count: number; until: number }
/** A follow-up session: the case it opens, when it started and when it was last used. */
export interface FollowUpSession { caseId: string; started: number; lastSeen: number }

/** Requests a route has taken in the current minute, for its global cap. */
export interface RouteWindow { start: number; count: number }

export interface AppState {
  /**
   * Failed sign-ins of existing accounts, keyed by account id. Made-up emails never enter this
   * store, so a flood of them cannot evict (and so reset) a real account's count.
   */
  loginFailures: Store<LoginFailures>;
  /** Failed sign-ins of emails that belong to no account, keyed by a hash of the email. */
  unknownLoginFailures: Store<LoginFailures>;
  followUpSessions: Store<FollowUpSession>;
  /** Form ids of no-JavaScript reports already filed, so a reload does not file twice. */
  sentForms: Store<number>;
  /** Daily upload volume per anonymous client, and uploads being written (PROTOCOL.md §24). */
  uploads: UploadState;
  /** This minute's server-side Argon2id for follow-up without JavaScript (§26.1); the worker pool runs them. */
  serverKdf: KdfBudget;
  /** Public statistics downloads already audited today (format and day), so the audit log notes each once a day. */
  publicExports: Store<number>;
  /** Desk session id hash → last use (ms): kept here, not in the database (PROTOCOL.md §35). */
  sessionActivity: Store<number>;
  /**
   * Open connections per client key. An entry leaves when the client's last connection closes, so
   * the map is bounded by the open connections, which the per-client cap bounds in turn.
   */
  connections: Map<string, number>;
  /** Per public route (method and URL), its count in the current minute: one entry per route. */
  routeWindows: Map<string, RouteWindow>;
  /** The one-time setup link's token (hashed), while the organisation is not set up. */
  setupToken: { hash: Buffer; expires: number } | null;
  /** Keys that exist only in this process's memory and are never written anywhere. */
  keys: {
    /** HMAC key turning a client address into an anonymous rate-limit key. */
    clientAddress: Buffer;
    /** AES-256-GCM key of the no-JavaScript receipt token. */
    receiptToken: Buffer;
    /** AES-256-GCM key of the no-JavaScript file download token (§26.2). */
    fileToken: Buffer;
    /** HMAC key signing the no-JavaScript form ids (PROTOCOL.md §34.3). */
    formId: Buffer;
  };
}

export const STATE_LIMITS = {
  loginFailures: 100_000,
  unknownLoginFailures: 100_000,
  followUpSessions: 50_000,
  sentForms: 100_000,
  uploadVolume: 100_000,
  uploadsBusy: 10_000,
  publicExports: 100,
  sessionActivity: 10_000,
} as const;

export function createAppState(): AppState {
  return {
    loginFailures: new LruStore(STATE_LIMITS.loginFailures, 24 * 3_600_000),
    unknownLoginFailures: new LruStore(STATE_LIMITS.unknownLoginFailures, 24 * 3_600_000),
    followUpSessions: new LruStore(STATE_LIMITS.followUpSessions, 60 * 60_000),
    sentForms: new LruStore(STATE_LIMITS.sentForms, 24 * 3_600_000),
    // A PATCH whose connection died is forgotten after 15 minutes at worst (its finally clears it first).
    uploads: { volume: new LruStore(STATE_LIMITS.uploadVolume, 24 * 3_600_000), busy: new LruStore(STATE_LIMITS.uploadsBusy, 15 * 60_000) },
    serverKdf: createKdfBudget(),
    publicExports: new LruStore(STATE_LIMITS.publicExports, 24 * 3_600_000),
    sessionActivity: new LruStore(STATE_LIMITS.sessionActivity, 12 * 3_600_000),
    connections: new Map(),
    routeWindows: new Map(),
    setupToken: null,
    keys: { clientAddress: randomBytes(32), receiptToken: randomBytes(32), fileToken: randomBytes(32), formId: randomBytes(32) },
  };
}
