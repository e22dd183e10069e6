// Environment → one typed, validated config object. Nothing else reads process.env.
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
  /** Statistics: cells below k are hidden (docs/STATISTICS.md). At least 5, a multiple of 5. */
  statsK: number;
  /** Statistics: days a quarter stays withheld after it ends. */
  statsEmbargoDays: number;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const quickExitUrl = env.QUICK_EXIT_URL || 'https://www.google.com/';
  if (!/^https?:\/\//.test(quickExitUrl)) throw new Error('QUICK_EXIT_URL must be an http(s) URL');
  return {
    port: int('PORT', env.PORT, 8080),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || './data'),
    clientDir: resolve(env.CLIENT_DIR || './dist/client'),
    tls: env.TLS === '1' || env.TLS === 'true',
    logLevel: env.LOG_LEVEL || 'info',
    quickExitUrl,
    submitRateLimit: int('SUBMIT_RATE_LIMIT', env.SUBMIT_RATE_LIMIT, 10),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    statsK: statsK(env.STATS_K),
    statsEmbargoDays: int('STATS_EMBARGO_DAYS', env.STATS_EMBARGO_DAYS, 30),
  };
}
