// Start-up and footprint of the production build: time from `npm start` (and from `node
// dist/node/server/main.js`) to the first 200 from /healthz on a built tree, the server's CPU time
// and memory then; and the disk a case takes, from reports sent through the real API.
// Prints figures only; nothing here fails on a budget (see docs/BENCHMARKS.md).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTestApp } from '../test/helpers/app.ts';
import { quickSubmission } from '../test/ops/helpers.ts';

const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const PORT = 18_400;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Start { wallMs: number; cpuMs: number; rssMb: number }

/** One start: spawn, poll /healthz every 10 ms, then read the server's CPU time and RSS from /proc. */
async function startOnce(command: string, args: string[], dataDir: string): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(command, args, { env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) break;
      } catch { /* not listening yet */ }
      if (performance.now() - t0 > 30_000) throw new Error(`${command} ${args.join(' ')}: no /healthz within 30 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const wallMs = performance.now() - t0;
    // Under npm, the server is npm's child: find the node process that listens (the newest in the group).
    const pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    const pid = command === 'npm' && pids.length ? deepest(Number(pids[0])) : child.pid!;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    return { wallMs, cpuMs: ticks * 10, rssMb: rss };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

function deepest(pid: number): number {
  const kids = (() => { try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean); } catch { return []; } })();
  return kids.length ? deepest(Number(kids[0])) : pid;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runStartupBench() {
  if (!existsSync('dist/BUILD')) throw new Error('run `npm run build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-startup-'));
  try {
    const rows = [];
    for (const [name, command, args] of [['npm start', 'npm', ['start']], ['node dist/node/server/main.js', process.execPath, ['dist/node/server/main.js']]] as const) {
      const runs: Start[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await startOnce(command, [...args], dataDir));
      rows.push({ start: name, runs: RUNS, 'median to /healthz (ms)': Math.round(median(runs.map((r) => r.wallMs))), 'max (ms)': Math.round(Math.max(...runs.map((r) => r.wallMs))), 'server CPU (ms)': median(runs.map((r) => r.cpuMs)), 'RSS (MB)': Math.round(median(runs.map((r) => r.rssMb))) });
    }
    return rows;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Disk per case: reports with a ~2 KB narrative through POST /api/reports, then the database's size. */
export async function runSizingBench(count = Number(process.env.SIZING_CASES ?? 2000)) {
  const t = await makeTestApp({ config: { submitRateLimit: 1_000_000, logLevel: 'warn' } });
  try {
    const narrative = 'The officer said the machine decided. '.repeat(54); // ~2 KB, as in the other benchmarks
    const file = join(t.dataDir, 'redress.sqlite');
    t.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const empty = statSync(file).size;
    for (let i = 0; i < count; i++) {
      // This measures disk, not the global cap on reports a minute (issue 9): start its window afresh.
      t.app.state.routeWindows.clear();
      const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: await quickSubmission(t.intake(), `${narrative} ${i}`) });
      if (res.statusCode !== 201) throw new Error(`report ${i}: ${res.statusCode}`);
    }
    t.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const full = statSync(file).size;
    return { cases: count, emptyBytes: empty, fullBytes: full, bytesPerCase: Math.round((full - empty) / count) };
  } finally {
    await t.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Load average at start: ${loadavg()}`);
  console.table(await runStartupBench());
  console.table([await runSizingBench()]);
  console.log(`Load average at end: ${loadavg()}`);
}
