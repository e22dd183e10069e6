// Argon2id run by the server, for follow-up without JavaScript (PROTOCOL.md §26.1): each one costs
// ~0.1 s of CPU and 19 MiB, so they run one at a time, at most 8 wait, and the whole server does at
// most SERVER_KDF_PER_MINUTE a minute. Past that the page says to try again in a minute.
import { AppError } from '../errors.ts';

export const MAX_WAITING = 8;

export interface KdfGate {
  running: boolean;
  waiting: (() => void)[];
  window: { start: number; count: number };
}

export function createKdfGate(): KdfGate {
  return { running: false, waiting: [], window: { start: 0, count: 0 } };
}

export async function withServerKdf<T>(gate: KdfGate, perMinute: number, derive: () => Promise<T>, now = Date.now()): Promise<T> {
  if (now - gate.window.start >= 60_000) gate.window = { start: now, count: 0 };
  if (gate.window.count >= perMinute || gate.waiting.length >= MAX_WAITING) throw new AppError(503, 'server_busy');
  gate.window.count++;
  if (gate.running) await new Promise<void>((resolve) => gate.waiting.push(resolve));
  gate.running = true;
  try {
    return await derive();
  } finally {
    const next = gate.waiting.shift();
    if (next) next();
    else gate.running = false;
  }
}
