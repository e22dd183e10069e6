// Queue speed with 100,000 cases: GET /api/cases (default, filtered, paginated, overdue) through
// app.inject, on a fresh database filled directly. Prints median and p95 per query.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { cases } from '../db/schema.ts';
import { CROCKFORD } from '../protocol/case-reference.ts';
import { sealSubmission } from '../protocol/seal-report.ts';
import { HARM_CATEGORIES, COUNTRIES, LANGUAGE_CODES } from '../protocol/taxonomy.ts';
import { makeTestApp } from '../test/helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn } from '../test/helpers/desk.ts';
import { validForm } from '../test/fixtures/report.ts';

const CASES = Number(process.env.QUEUE_CASES ?? 100_000);

/** A distinct reference per row (random ones would collide among 100,000 copies). */
const referenceOf = (i: number) => {
  const symbols = Array.from({ length: 6 }, (_, k) => CROCKFORD[Math.floor(i / 32 ** (5 - k)) % 32]).join('');
  return `RDX-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
};
const RUNS = 40;

export async function runQueueBench(): Promise<{ query: string; medianMs: number; p95Ms: number }[]> {
  const t = await makeTestApp({ config: { logLevel: 'warn' } });
  try {
    const admin = await setupAdmin(t.db);
    const team = defaultTeamId(t.db);
    const worker = await createDeskUser(t.db, { email: 'bench@example.org', role: 'caseworker', teamIds: [team], granter: { ...admin.keys, id: admin.id } });
    const sealed = await sealSubmission(validForm(), 'en', t.intake());
    await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } });
    const template = t.db.select().from(cases).get()!;
    const statuses = ['received', 'triaged', 'acknowledged', 'in_progress', 'referred', 'closed'] as const;
    const start = Date.UTC(2025, 0, 1);
    const insert = t.db.$client.transaction(() => {
      for (let i = 1; i < CASES; i++) {
        const day = new Date(start + (i % 690) * 86_400_000).toISOString().slice(0, 10);
        const urgent = i % 7 === 0;
        t.db.insert(cases).values({
          ...template, id: randomUUID(), receiptAuthHash: `bench-${i}`, reference: referenceOf(i), status: statuses[i % statuses.length]!,
          category: HARM_CATEGORIES[i % HARM_CATEGORIES.length]!.id, country: COUNTRIES[i % 40]!, language: LANGUAGE_CODES[i % LANGUAGE_CODES.length]!,
          urgent, receivedOn: day, triageDue: new Date(Date.parse(day) + (urgent ? 1 : 3) * 86_400_000).toISOString(),
          acknowledgeDue: new Date(Date.parse(day) + 7 * 86_400_000).toISOString(), assigneeId: i % 5 === 0 ? worker.id : null,
        }).run();
      }
    });
    insert();
    t.db.$client.pragma('optimize');
    const session = await signIn(t.app, worker);
    const queries = [
      '/api/cases',
      '/api/cases?status=received',
      '/api/cases?category=pushback&country=GR',
      '/api/cases?urgent=true&overdue=true',
      `/api/cases?assignee=${worker.id}`,
      '/api/cases?page=200',
      '/api/cases?sort=received&language=ar',
      '/api/cases?reference=RDX-00A',
      '/api/cases?unread=true',
    ];
    const results = [];
    for (const url of queries) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const res = await t.app.inject({ url, headers: { cookie: session.cookie } });
        times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      }
      times.sort((a, b) => a - b);
      results.push({ query: url.replace(worker.id, '<me>'), medianMs: +times[RUNS / 2]!.toFixed(1), p95Ms: +times[Math.floor(RUNS * 0.95)]!.toFixed(1) });
    }
    return results;
  } finally {
    await t.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Queue with ${CASES} cases (${RUNS} runs each)`);
  console.table(await runQueueBench());
}
