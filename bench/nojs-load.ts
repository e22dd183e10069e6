// /healthz latency while 8 clients post no-JavaScript reports without pause: each costs the server
// an Argon2id. Run twice in one process: with the worker pool (today), and with Argon2id on the main
// thread (as before issue 9). `npx tsx bench/nojs-load.ts`; part of `npm run bench`.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/index.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { GLOBAL_LIMITS } from '../server/plugins/global-limits.ts';
import { issueFormId } from '../server/services/form-guard.ts';
import { setupOrganisation } from '../server/services/setup.ts';
import { sodiumReady } from '../protocol/sodium.ts';
import { formFields, multipart } from '../test/helpers/multipart.ts';
import { validForm } from '../test/fixtures/report.ts';

const POSTERS = Number(process.env.BENCH_NOJS_POSTERS ?? 8);
const SECONDS = Number(process.env.BENCH_NOJS_SECONDS ?? 10);

export interface NoJsLoad { mode: string; idleP50: number; idleP95: number; loadedP50: number; loadedP95: number; loadedMax: number; reportsPerSecond: number; statuses: Record<string, number> }

function get(base: string, path: string): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    request(`${base}${path}`, (res) => { res.resume(); res.on('end', () => done(performance.now() - started)); }).on('error', fail).end();
  });
}

function post(base: string, body: Buffer, type: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(`${base}/report`, { method: 'POST', headers: { 'content-type': type, 'content-length': body.length, 'sec-fetch-site': 'same-origin' } },
      (res) => { res.resume(); res.on('end', () => done(res.statusCode ?? 0)); });
    req.on('error', fail);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0; };

async function measure(mode: 'worker pool' | 'main thread'): Promise<NoJsLoad> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-nojs-'));
  const db = openDatabase(dataDir);
  await setupOrganisation(db, { organisationName: 'Bench', adminEmail: 'a@example.org', password: 'a long enough password' });
  const app = await buildApp({ config: { ...loadConfig({}), dataDir, clientDir: resolve('dist/client'), submitRateLimit: 1_000_000, sealQueue: 64, maxConnectionsPerClient: 0, checkpointSeconds: 0 }, db, logger: false });
  if (mode === 'main thread') {
    const sodium = await sodiumReady();
    app.argon2.run = async (password, salt, ops, mem) => sodium.crypto_pwhash(32, password, salt, ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13);
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push(await get(base, '/healthz'));
  const statuses: Record<string, number> = {};
  let filed = 0;
  const until = Date.now() + SECONDS * 1000;
  const poster = async () => {
    while (Date.now() < until) {
      const form = await multipart(formFields(validForm(), { lang: 'en', formId: issueFormId(app.state.keys.formId) }));
      const status = await post(base, form.payload, form.headers['content-type']);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) filed++;
    }
  };
  const loaded: number[] = [];
  const sampler = async () => {
    while (Date.now() < until) {
      loaded.push(await get(base, '/healthz'));
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all([...Array.from({ length: POSTERS }, poster), sampler()]);
  await app.close();
  db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    mode, idleP50: r(pct(idle, 0.5)), idleP95: r(pct(idle, 0.95)), loadedP50: r(pct(loaded, 0.5)), loadedP95: r(pct(loaded, 0.95)),
    loadedMax: r(Math.max(...loaded)), reportsPerSecond: r(filed / SECONDS), statuses,
  };
}

export async function run(): Promise<NoJsLoad[]> {
  GLOBAL_LIMITS['POST /report'] = 0; // measure the pool, not the cap
  const results = [await measure('worker pool'), await measure('main thread')];
  console.table(results.map(({ statuses, ...rest }) => ({ ...rest, statuses: JSON.stringify(statuses) })));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
