// Argon2id off the main thread: the server's sealing of no-JavaScript reports, and its reading of
// a case by receipt for follow-up without JavaScript, derive the receipt keys (19 MiB, about
// 0.1–0.5 s of CPU) in a small pool of worker threads, so a burst of posts
// cannot stall every other request, and at most `queueLimit` wait: beyond that the caller is told
// the server is busy (PROTOCOL.md §34.3). The workers are plain libsodium, loaded from its own
// package; they receive only the receipt digits and the salt, never the report.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodium);
sodium.ready.then(() => {
  parentPort.on('message', ({ id, password, salt, opslimit, memlimit }) => {
    try {
      const key = sodium.crypto_pwhash(32, password, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
      parentPort.postMessage({ id, key }, [key.buffer]);
    } catch (err) {
      parentPort.postMessage({ id, error: String(err && err.message || err) });
    }
  });
});
`;

interface Task { id: number; password: Uint8Array; salt: Uint8Array; opslimit: number; memlimit: number; resolve: (key: Uint8Array) => void; reject: (err: Error) => void }

export class Argon2Pool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private readonly live = new Set<Worker>();
  private nextId = 1;
  /** Derivations finished (for tests and benchmarks). */
  completed = 0;

  constructor(readonly size: number, readonly queueLimit: number) {}

  /** Argon2id13, 32 bytes, in a worker; AppError 503 server_busy when every worker is busy and the queue is full. */
  run = (password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Uint8Array> => {
    if (this.idle.length === 0 && this.live.size >= this.size && this.waiting.length >= this.queueLimit) {
      return Promise.reject(new AppError(503, 'server_busy'));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, password: password.slice(), salt: salt.slice(), opslimit, memlimit, resolve, reject });
      this.dispatch();
    });
  };

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodium: createRequire(import.meta.url).resolve('libsodium-wrappers-sumo') } });
    worker.unref();
    this.live.add(worker);
    worker.on('message', (msg: { id: number; key?: Uint8Array; error?: string }) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (task && msg.key) { this.completed++; task.resolve(new Uint8Array(msg.key)); }
      else task?.reject(new Error(msg.error ?? 'Argon2id failed'));
      this.dispatch();
    });
    worker.on('error', (err) => this.retire(worker, err));
    worker.on('exit', () => this.retire(worker, new Error('Argon2id worker stopped')));
    return worker;
  }

  /** A worker that failed or stopped: its task fails, and a new worker takes the next one. */
  private retire(worker: Worker, err: Error): void {
    if (!this.live.delete(worker)) return;
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    this.busy.get(worker)?.reject(err);
    this.busy.delete(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiting.length) {
      const worker = this.idle.pop() ?? (this.live.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.waiting.shift()!;
      this.busy.set(worker, task);
      worker.postMessage({ id: task.id, password: task.password, salt: task.salt, opslimit: task.opslimit, memlimit: task.memlimit });
    }
  }

  async close(): Promise<void> {
    const all = [...this.live];
    for (const task of this.waiting.splice(0)) task.reject(new AppError(503, 'server_busy'));
    await Promise.all(all.map((w) => w.terminate()));
  }
}
