// Environment → one typed, validated config object. Nothing else reads process.env.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Where `vite build` put the browser apps (manifest + hashed assets). */
  clientDir: string;
  /** Send HSTS and Secure cookies: set when Redress is served over TLS (directly or behind a proxy). */
  tls: boolean;
  logLevel: string;
  /** Where the quick-exit button leads: a neutral page, opened in place of ours. */
  quickExitUrl: string;
  /** Behind a reverse proxy: true, or its addresses/CIDR ranges, so rate limits tell clients apart. */
  trustProxy: boolean | string;
  /** Public submissions per minute from one (hashed, in-memory) client. */
  submitRateLimit: number;
  /** Encrypted files (PROTOCOL.md §24.6). */
  attachments: AttachmentConfig;
  /** Follow-up without JavaScript: tries a minute per client, and server-side Argon2id a minute in all (§26.1). */
  plainFollowUpRateLimit: number;
  serverKdfPerMinute: number;
  /** Statistics: cells below k are hidden (docs/STATISTICS.md). At least 5, a multiple of 5. */
  statsK: number;
  /** Statistics: days a quarter stays withheld after it ends. */
  statsEmbargoDays: number;
  // — Holding under attack (PROTOCOL.md §34–§35) —
  /** A request (headers and body) must arrive whole within this many milliseconds. */
  requestTimeoutMs: number;
  /** The headers must arrive within this many milliseconds. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many milliseconds. */
  keepAliveTimeoutMs: number;
  /** Open connections per client (0: no limit; not applied behind a trusted proxy). */
  maxConnectionsPerClient: number;
  /** Requests per minute, all clients together, to a public route without a cap of its own. */
  publicGlobalLimit: number;
  /** Requests per minute per client on the routes without a limit of their own (PROTOCOL.md §7.5). */
  clientRateLimit: number;
  /** Worker threads running the server's Argon2id (no-JavaScript reports), and how many may wait. */
  sealWorkers: number;
  sealQueue: number;
  /** Seconds between write-ahead-log checkpoints (0: off). */
  checkpointSeconds: number;
  /** Notification mail: an smtp:// or smtps:// URL (null: no mail is queued or sent) and the sender. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The address staff open the desk at, for the link in notification mails. */
  publicUrl: string;
  /** How often the background jobs run (mail, deadline notices, retention); 0 turns them off. */
  jobIntervalMs: number;
}

export interface AttachmentConfig {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** Bytes one client may declare in 24 hours (counted in memory by the anonymous client key). */
  dailyBytesPerClient: number;
  /** An unlinked upload is removed this long after its last byte. */
  expiryMs: number;
  cleanupIntervalMs: number;
}

const MIB = 1024 * 1024;

function attachmentConfig(env: NodeJS.ProcessEnv): AttachmentConfig {
  const maxFiles = int('ATTACHMENT_MAX_FILES', env.ATTACHMENT_MAX_FILES, 5);
  if (maxFiles > 10) throw new Error('ATTACHMENT_MAX_FILES may be at most 10');
  return {
    maxFiles,
    maxFileBytes: int('ATTACHMENT_MAX_FILE_MB', env.ATTACHMENT_MAX_FILE_MB, 10) * MIB,
    maxTotalBytes: int('ATTACHMENT_MAX_TOTAL_MB', env.ATTACHMENT_MAX_TOTAL_MB, 20) * MIB,
    dailyBytesPerClient: int('ATTACHMENT_DAILY_MB', env.ATTACHMENT_DAILY_MB, 50) * MIB,
    expiryMs: int('UPLOAD_EXPIRY_HOURS', env.UPLOAD_EXPIRY_HOURS, 24) * 3_600_000,
    cleanupIntervalMs: Math.max(1, int('UPLOAD_CLEANUP_MINUTES', env.UPLOAD_CLEANUP_MINUTES, 15)) * 60_000,
  };
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** STATS_K: the one threshold of every publication (never below 5; base-5 rounding needs a multiple of 5). */
function statsK(value: string | undefined): number {
  const k = int('STATS_K', value, 5);
  if (k < 5) throw new Error(`STATS_K must be at least 5 (cells below it are hidden), got ${k}`);
  if (k % 5 !== 0 || k > 100) throw new Error(`STATS_K must be a multiple of 5 between 5 and 100, got ${k}`);
  return k;
}

/** TRUST_PROXY: unset/false, true, or a comma-separated list of the proxies' addresses. */
function parseTrustProxy(value: string | undefined): boolean | string {
  if (!value || value === 'false' || value === '0') return false;
  return value === 'true' ? true : value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function smtpUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^smtps?:\/\/[^\s]+$/.test(value)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL, for example smtp://127.0.0.1:2525');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const quickExitUrl = env.QUICK_EXIT_URL || 'https://www.google.com/';
  if (!/^https?:\/\//.test(quickExitUrl)) throw new Error('QUICK_EXIT_URL must be an http(s) URL');
  const logLevel = env.LOG_LEVEL || 'info';
  // pino would throw on its own, with a stack trace instead of a sentence.
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const port = int('PORT', env.PORT, 8080);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(publicUrl)) throw new Error('PUBLIC_URL must be an http(s) URL');
  const mailFrom = env.MAIL_FROM || 'redress@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) throw new Error('MAIL_FROM must be an email address');
  return {
    port,
    host,
    dataDir: resolve(env.DATA_DIR || './data'),
    clientDir: resolve(env.CLIENT_DIR || './dist/client'),
    tls: env.TLS === '1' || env.TLS === 'true',
    logLevel,
    quickExitUrl,
    submitRateLimit: int('SUBMIT_RATE_LIMIT', env.SUBMIT_RATE_LIMIT, 10),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    attachments: attachmentConfig(env),
    plainFollowUpRateLimit: int('PLAIN_FOLLOW_UP_RATE_LIMIT', env.PLAIN_FOLLOW_UP_RATE_LIMIT, 5),
    serverKdfPerMinute: int('SERVER_KDF_PER_MINUTE', env.SERVER_KDF_PER_MINUTE, 30),
    statsK: statsK(env.STATS_K),
    statsEmbargoDays: int('STATS_EMBARGO_DAYS', env.STATS_EMBARGO_DAYS, 30),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom,
    publicUrl,
    jobIntervalMs: int('JOB_INTERVAL_SECONDS', env.JOB_INTERVAL_SECONDS, 60) * 1000,
    ...attackLimits(env),
  };
}

function attackLimits(env: NodeJS.ProcessEnv) {
  const requestTimeoutMs = int('REQUEST_TIMEOUT_SECONDS', env.REQUEST_TIMEOUT_SECONDS, 30) * 1000;
  const headersTimeoutMs = int('HEADERS_TIMEOUT_SECONDS', env.HEADERS_TIMEOUT_SECONDS, 10) * 1000;
  // Node refuses a header timeout longer than the request timeout.
  if (requestTimeoutMs && headersTimeoutMs > requestTimeoutMs) throw new Error('HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_SECONDS', env.KEEP_ALIVE_TIMEOUT_SECONDS, 5) * 1000,
    maxConnectionsPerClient: int('MAX_CONNECTIONS_PER_CLIENT', env.MAX_CONNECTIONS_PER_CLIENT, 32),
    publicGlobalLimit: int('PUBLIC_GLOBAL_LIMIT', env.PUBLIC_GLOBAL_LIMIT, 6000),
    clientRateLimit: Math.max(1, int('CLIENT_RATE_LIMIT', env.CLIENT_RATE_LIMIT, 300)),
    sealWorkers: Math.max(1, int('SEAL_WORKERS', env.SEAL_WORKERS, Math.max(1, availableParallelism() - 1))),
    sealQueue: int('SEAL_QUEUE', env.SEAL_QUEUE, 8),
    checkpointSeconds: int('CHECKPOINT_SECONDS', env.CHECKPOINT_SECONDS, 60),
  };
}
