// Statistics over 1,000,000 coded cases: the time and peak memory to compute every table (counting,
// disclosure control, all released quarters), as the desk, an export or the public page does the
// first time. Nothing is frozen (today is before every release), so each run counts every case.
// Standalone: `npx tsx bench/stats.ts [cases]`.
import { performance } from 'node:perf_hooks';
import { buildPublication } from '../server/stats/publication.ts';
import { makeTestApp } from '../test/helpers/app.ts';
import { fillCases } from './stats-data.ts';

export const STATS_CASES = 1_000_000;
export const STATS_TARGET_MS = 2000;

export async function runStatsBench(n = STATS_CASES): Promise<{ cases: number; fillMs: number; medianMs: number; peakRssMb: number; tables: number; rows: number }> {
  const t = await makeTestApp({ config: { logLevel: 'warn' } });
  try {
    const filled = performance.now();
    fillCases(t.db, n);
    const fillMs = performance.now() - filled;
    const run = () => buildPublication(t.db, { organisation: 'Bench', asOf: '2026-06-30', today: '2000-01-01', baseK: 5, k: 5, embargoDays: 30 });
    run(); // warm: statements prepared, pages in the cache
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    const times: number[] = [];
    let rows = 0;
    let tables = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const p = run();
      times.push(performance.now() - start);
      peak = Math.max(peak, process.memoryUsage().rss);
      tables = p.tables.length;
      rows = p.tables.reduce((sum, table) => sum + table.rows.length, 0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    clearInterval(sampler);
    times.sort((a, b) => a - b);
    return { cases: n, fillMs: Math.round(fillMs), medianMs: Math.round(times[1]!), peakRssMb: Math.round(peak / 2 ** 20), tables, rows };
  } finally {
    await t.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table([await runStatsBench(Number(process.argv[2] ?? STATS_CASES))]);
}
