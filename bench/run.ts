// Runs payload, throttled and server-load in sequence and prints a markdown summary with date and machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as payload from './payload.ts';
import * as throttled from './throttled.ts';
import * as serverLoad from './server-load.ts';
import * as evidence from './evidence.ts';
import * as nojsLoad from './nojs-load.ts';
import { kb } from './browser.ts';
import { runQueueBench } from './queue.ts';
import { STATS_TARGET_MS, runStatsBench } from './stats.ts';

const sh = (cmd: string, args: string[]) => {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0]!; } catch { return 'unknown'; }
};
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadAtStart = loadavg();
const machine = {
  date: sh('date', ['-u']), nproc: sh('nproc', []), cpu: cpuModel, node: process.version,
  chromium: sh(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']),
};

async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  console.log(`\n=== ${name} ===`);
  try { return await fn(); } catch (err) {
    console.error(`${name} failed:`, err);
    process.exitCode = 1;
    return undefined;
  }
}

const p = await attempt('payload', payload.run);
const t = await attempt('throttled', throttled.run);
const l = await attempt('server load', serverLoad.run);
const e = await attempt('evidence', evidence.run);
const n = await attempt('no-JavaScript posts and /healthz', nojsLoad.run);
const q = await attempt('queue (100,000 cases)', async () => {
  const results = await runQueueBench();
  console.table(results);
  return results;
});

const st = await attempt('statistics (1,000,000 coded cases)', async () => {
  const result = await runStatsBench();
  console.table([result]);
  return result;
});

const rows: [string, string, string, boolean | undefined][] = [];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
if (p) {
  const range = (k: 'plain' | 'appReady' | 'afterPrefetch') =>
    [Math.min(...p.rows.map((r) => r[k])), Math.max(...p.rows.map((r) => r[k]))] as const;
  const [pMin, pMax] = range('plain');
  const [aMin, aMax] = range('appReady');
  const [fMin, fMax] = range('afterPrefetch');
  rows.push([`Plain form usable (HTML+CSS), ${payload.LANGUAGES.length} languages`, `${kb(pMin)} – ${kb(pMax)}`, `≤ ${kb(payload.USABLE_BUDGET)}`, pMax <= payload.USABLE_BUDGET]);
  rows.push([`App ready (\`.progress\`), ${payload.LANGUAGES.length} languages`, `${kb(aMin)} – ${kb(aMax)}`, `≤ ${kb(payload.USABLE_BUDGET)}`, aMax <= payload.USABLE_BUDGET]);
  rows.push([`After the first touch (crypto fetched), ${payload.LANGUAGES.length} languages`, `${kb(fMin)} – ${kb(fMax)}`, '—', undefined]);
  rows.push(['Full submission in English (all bytes)', kb(p.submission), `≤ ${kb(payload.SUBMISSION_BUDGET)}`, p.submission <= payload.SUBMISSION_BUDGET]);
  const ready = p.followUp.map((r) => r.ready);
  rows.push([`Follow-up page usable (receipt field), ${payload.LANGUAGES.length} languages`, `${kb(Math.min(...ready))} – ${kb(Math.max(...ready))}`, `≤ ${kb(payload.USABLE_BUDGET)}`, Math.max(...ready) <= payload.USABLE_BUDGET]);
}
if (t) {
  const m = t.median;
  rows.push(['Throttled: plain form usable (FCP), median of 3', s(m.fcp), `≤ ${s(throttled.USABLE_TARGET_MS)}`, m.fcp <= throttled.USABLE_TARGET_MS]);
  rows.push(['Throttled: app ready (`.progress`), median of 3', s(m.appReady), `≤ ${s(throttled.USABLE_TARGET_MS)}`, m.appReady <= throttled.USABLE_TARGET_MS]);
  const worst = (k: 'fcp' | 'appReady' | 'sendToReceipt') => t.byLanguage.reduce((a, b) => (b[k] > a[k] ? b : a));
  for (const k of ['fcp', 'appReady', 'sendToReceipt'] as const) {
    const w = worst(k);
    const target = k === 'sendToReceipt' ? throttled.SEND_TARGET_MS : throttled.USABLE_TARGET_MS;
    rows.push([`Throttled, slowest of ${t.byLanguage.length} languages: ${k} (${w.lang})`, s(w[k]), `≤ ${s(target)}`, w[k] <= target]);
  }
  rows.push(['Throttled: Send → receipt shown (sealed, saved on the phone), median of 3', s(m.sendToSaved), '—', undefined]);
  rows.push(['Throttled: Send → receipt, delivered (~2 KB narrative, the server\'s 201), median of 3', s(m.sendToReceipt),
    `≤ ${s(throttled.SEND_TARGET_MS)} (issue); ≤ ${s(throttled.SEND_DESIGN_MS)} (DESIGN.md)`, m.sendToReceipt <= throttled.SEND_TARGET_MS]);
}
if (l) {
  rows.push(['Server: app POST /api/reports', `${l.app.rps.toFixed(0)} req/s`, '—', undefined]);
  rows.push(['Server: bare Fastify + SQLite baseline', `${l.baseline.rps.toFixed(0)} req/s`, '—', undefined]);
  rows.push(['Server: app / baseline', `${(l.ratio * 100).toFixed(0)}%`, `≥ ${serverLoad.RATIO_TARGET * 100}%`, l.ratio >= serverLoad.RATIO_TARGET]);
  rows.push(['Server: app latency p50 / p99', `${l.app.p50.toFixed(1)} / ${l.app.p99.toFixed(1)} ms`, `p99 < ${serverLoad.P99_TARGET_MS} ms`, l.app.p99 < serverLoad.P99_TARGET_MS]);
  rows.push(['Server: 429 responses', String(l.app.statuses['429'] ?? 0), '0', (l.app.statuses['429'] ?? 0) === 0]);
}
if (e) {
  rows.push(['Evidence: a 3 MB photo on 2G (CPU 4×), cleaned and shrunk to', `${e.cleanedText}; ${kb(e.encryptedBytes)} encrypted`, '—', undefined]);
  rows.push(['Evidence: that photo, Send → receipt on 2G', s(e.sendToReceiptMs), '—', undefined]);
  rows.push(['Evidence: repeat visit with the service worker, bytes over the network', kb(e.repeatNetworkBytes), 'only API calls', e.repeatRequests.every((p) => p.startsWith('/api/') || p === '/favicon.ico')]);
}
if (n) {
  const [pool, inline] = n;
  rows.push([`/healthz p50 / p95 with ${process.env.BENCH_NOJS_POSTERS ?? 8} clients posting no-JS reports (worker pool)`, `${pool!.loadedP50} / ${pool!.loadedP95} ms`, '—', undefined]);
  rows.push(['… the same with Argon2id on the main thread (before issue 9)', `${inline!.loadedP50} / ${inline!.loadedP95} ms`, '—', undefined]);
}
if (q) {
  const worst = q.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
  rows.push(['Queue, 100,000 cases: median over 7 queries (range)', `${Math.min(...q.map((r) => r.medianMs))} – ${Math.max(...q.map((r) => r.medianMs))} ms`, '—', undefined]);
  rows.push([`Queue, 100,000 cases: slowest p95 (\`${worst.query}\`)`, `${worst.p95Ms} ms`, '—', undefined]);
}
if (st) {
  rows.push([`Statistics: every table over ${st.cases.toLocaleString('en')} coded cases (median of 3)`, `${st.medianMs} ms`, `≤ ${STATS_TARGET_MS} ms`, st.medianMs <= STATS_TARGET_MS]);
  rows.push(['Statistics: peak resident memory', `${st.peakRssMb} MB`, '—', undefined]);
}

console.log('\n# Summary\n');
console.log(`Date: ${machine.date}  `);
console.log(`Machine: ${machine.nproc} cores, ${machine.cpu}; Node ${machine.node}; ${machine.chromium}  `);
// Other work on the machine skews every figure here: say how busy it was.
console.log(`Load average (1/5/15 min) at start: ${loadAtStart}; at end: ${loadavg()}\n`);
console.log('| Measure | Result | Budget / target | Status |');
console.log('|---|---|---|---|');
for (const [name, result, budget, ok] of rows) console.log(`| ${name} | ${result} | ${budget} | ${ok === undefined ? '—' : ok ? 'within' : '**over budget**'} |`);
for (const [name, r] of [['payload', p], ['throttled', t], ['server load', l], ['evidence', e]] as const) if (!r) console.log(`| ${name} | failed (see log above) | | |`);
