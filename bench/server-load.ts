// POST /api/reports throughput and latency of the real app against a bare Fastify + SQLite baseline.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { sealSubmission } from '../protocol/seal-report.ts';
import type { Intake } from '../protocol/api.ts';
import { validForm } from '../test/fixtures/report.ts';
import { median } from './browser.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const CONCURRENCY = env('BENCH_CONCURRENCY', 16);
export const SECONDS = env('BENCH_SECONDS', 10);
/** Warm-up: WARMUP distinct bodies, cycled for WARM_SECONDS (repeats take the idempotent path). */
export const WARMUP = env('BENCH_WARMUP', 500);
export const WARM_SECONDS = env('BENCH_WARM_SECONDS', 5);
/** Upper bound on distinct bodies, and on the time spent sealing them (Argon2id each). */
export const MAX_BODIES = env('BENCH_BODIES', 4000);
export const SEAL_BUDGET_MS = env('BENCH_SEAL_SECONDS', 120) * 1000;
export const RATIO_TARGET = 0.5;
export const P99_TARGET_MS = 100;

export interface LoadStats {
  requests: number; seconds: number; rps: number; p50: number; p99: number; statuses: Record<string, number>; ranOut: boolean;
  /** CPU used by this (load-generating) process over the run, as a share of one core. */
  clientCpu: number;
}
export interface LoadResult { app: LoadStats; baseline: LoadStats; ratio: number; bodies: number; sealMs: number }

async function startTarget(kind: 'app' | 'baseline'): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(new URL('./load-target.ts', import.meta.url), [kind], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const base = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { base: string }).base));
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
  return { child, base };
}

async function stopTarget(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill();
}

/**
 * One POST on a keep-alive socket. node:http rather than fetch: on this machine fetch itself tops
 * out near 1,500 req/s, which would measure the load generator instead of the baseline server.
 */
function post(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends bodies in order, CONCURRENCY in flight, until time is up or (unless cycling) they run out. */
async function fire(base: string, bodies: string[], seconds: number, cycle = false): Promise<LoadStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const end = start + seconds * 1000;
  const worker = async () => {
    while ((cycle || next < bodies.length) && performance.now() < end) {
      const body = bodies[next++ % bodies.length]!;
      const t0 = performance.now();
      let status = 'error';
      try {
        status = String(await post(agent, `${base}/api/reports?lang=en`, body));
      } catch { /* counted as an error */ }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length, seconds: elapsed, rps: latencies.length / elapsed,
    p50: median(sorted), p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN,
    statuses, ranOut: next >= bodies.length && performance.now() < end, clientCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

/**
 * Warm-up first (not counted), then the measured run. The app gets each distinct body once; the
 * baseline, which has no notion of a duplicate, cycles the same bodies for as long as the app ran.
 */
async function measure(target: { child: ChildProcess; base: string }, warm: string[], bodies: string[], seconds: number, cycle: boolean) {
  try {
    await fire(target.base, warm, WARM_SECONDS, true);
    return await fire(target.base, bodies, seconds, cycle);
  } finally {
    await stopTarget(target.child);
  }
}

export async function run(): Promise<LoadResult> {
  // Seal against this app instance's published keys (another instance would have other keys).
  const appTarget = await startTarget('app');
  const intake = (await (await fetch(`${appTarget.base}/api/intake`)).json()) as Intake;
  const all: string[] = [];
  const sealStart = performance.now();
  while (all.length < WARMUP + MAX_BODIES && performance.now() - sealStart < SEAL_BUDGET_MS) {
    const form = validForm({ narrative: `Load test report number ${all.length}. ${'x'.repeat(200)}` });
    all.push(JSON.stringify((await sealSubmission(form, 'en', intake)).body));
  }
  const sealMs = performance.now() - sealStart;
  const warm = all.slice(0, WARMUP);
  const bodies = all.slice(WARMUP);
  const app = await measure(appTarget, warm, bodies, SECONDS, false);
  const baseline = await measure(await startTarget('baseline'), warm, bodies, app.seconds, true);
  const result = { app, baseline, ratio: app.rps / baseline.rps, bodies: bodies.length, sealMs };
  print(result);
  return result;
}

function print({ app, baseline, ratio, bodies, sealMs }: LoadResult) {
  console.log(`\n## Server load (POST /api/reports, concurrency ${CONCURRENCY}, up to ${SECONDS} s, loopback)\n`);
  console.log(`${bodies} distinct sealed bodies, each sent once (after a ${WARM_SECONDS} s warm-up cycling ${WARMUP} others), ` +
    `sealed in ${(sealMs / 1000).toFixed(1)} s.\n`);
  console.log('| server | requests | seconds | req/s | p50 | p99 | statuses | load generator CPU |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, s] of [['Redress app', app], ['bare Fastify + SQLite', baseline]] as const) {
    console.log(`| ${name} | ${s.requests}${s.ranOut ? ' (all distinct bodies sent)' : ''} | ${s.seconds.toFixed(2)} | ${s.rps.toFixed(0)} | ` +
      `${s.p50.toFixed(1)} ms | ${s.p99.toFixed(1)} ms${name === 'Redress app' && s.p99 >= P99_TARGET_MS ? ' **over budget**' : ''} | ` +
      `${Object.entries(s.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')} | ${(s.clientCpu * 100).toFixed(0)}% of a core |`);
  }
  console.log(`\nRatio app/baseline: ${(ratio * 100).toFixed(0)}% (target ≥ ${RATIO_TARGET * 100}%)${ratio < RATIO_TARGET ? ' **over budget**' : ''}; ` +
    `p99 target < ${P99_TARGET_MS} ms. 429s: ${app.statuses['429'] ?? 0}.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
