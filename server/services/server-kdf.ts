// The budget of server-side Argon2id for follow-up without JavaScript (PROTOCOL.md §26.1): each
// read of a case by receipt is one derivation (~0.1 s of CPU and 19 MiB, in the app's worker pool,
// services/argon2-pool.ts), and the whole server does at most SERVER_KDF_PER_MINUTE a minute.
// Past that the page says to try again in a minute. The pool bounds how many run and wait at once.
import { AppError } from '../errors.ts';

export interface KdfBudget { start: number; count: number }

export function createKdfBudget(): KdfBudget {
  return { start: 0, count: 0 };
}

/** Takes one derivation from this minute's budget, or throws 503 server_busy when it is spent. */
export function spendKdfBudget(budget: KdfBudget, perMinute: number, now = Date.now()): void {
  if (now - budget.start >= 60_000) { budget.start = now; budget.count = 0; }
  if (budget.count >= perMinute) throw new AppError(503, 'server_busy');
  budget.count++;
}
