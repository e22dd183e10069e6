// Fills a database with N coded cases for the statistics benchmark: weighted countries over two
// years, harm categories, coding on most cases, lifecycle events, referrals to the seeded pathway
// directory and links to the seeded register. Envelopes are a tiny placeholder: statistics never
// read them, and a million real ones would be gigabytes of nothing measured.
import { readFileSync } from 'node:fs';
import type { Db } from '../db/index.ts';
import { COUNTRIES, DEPLOYER_CLASSES, HARM_CATEGORY_IDS, SYSTEM_TYPES } from '../protocol/taxonomy.ts';

const OUTCOMES = ['resolved', 'referred_out', 'out_of_scope', 'withdrawn'];
const REFERRAL_OUTCOMES = ['admissible', 'inadmissible', 'remedy_granted', 'refused', 'no_answer'];

/** A small deterministic generator, so every run fills the same data. */
function generator(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

export function fillCases(db: Db, n: number): void {
  const sqlite = db.$client;
  const random = generator(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  // A few countries get most reports, as in real intake.
  const countries = COUNTRIES.slice(0, 60);
  const country = () => (random() < 0.7 ? countries[Math.floor(random() ** 2 * 12)]! : pick(countries));
  const { teamId, teamKeyId } = sqlite.prepare('SELECT t.id AS teamId, k.id AS teamKeyId FROM teams t JOIN team_keys k ON k.team_id = t.id WHERE t.is_default = 1 AND k.retired_at IS NULL')
    .get() as { teamId: string; teamKeyId: string };
  const pathways = JSON.parse(readFileSync('db/seed/pathways.json', 'utf8')) as { id: string; name: string; kind: string }[];
  const insertPathway = sqlite.prepare('INSERT OR IGNORE INTO pathways (id, name, kind, entry, updated_at) VALUES (?, ?, ?, ?, ?)');
  for (const p of pathways) insertPathway.run(p.id, p.name, p.kind, JSON.stringify(p), '2026-01-01');
  const deploymentIds = (sqlite.prepare('SELECT id FROM deployments').pluck().all() as string[]);
  const user = sqlite.prepare("SELECT id FROM users WHERE role = 'admin'").pluck().get() as string;

  const insertCase = sqlite.prepare(`INSERT INTO cases (id, team_id, team_key_id, status, taxonomy, category, system_type, country, language, role,
    incident_month, urgent, child, consent_referral, consent_share_data, received_on, sealed_by, envelope, receipt_auth_hash, reporter_public_key,
    triage_due, acknowledge_due, outcome, coded_category, coded_system_type, deployer_class, deployment_id, closed_on)
    VALUES (?, ?, ?, ?, '1', ?, ?, ?, 'en', 'self', 'unknown', 0, ?, 1, 0, ?, 'browser', '{}', ?, 'bench', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = sqlite.prepare('INSERT INTO case_events (id, case_id, "on", status, outcome) VALUES (?, ?, ?, ?, ?)');
  const insertReferral = sqlite.prepare(`INSERT INTO referrals (id, case_id, pathway_id, sent_on, outcome, outcome_on, shared_personal_data, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`);
  const start = Date.UTC(2024, 0, 1) / 86_400_000;
  const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  sqlite.pragma('synchronous = OFF');
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `c${i}`;
      const received = start + Math.floor(random() * 730);
      const category = pick(HARM_CATEGORY_IDS);
      const coded = random() < 0.7;
      const ack = random() < 0.6 ? received + Math.floor(random() * 14) : null;
      const closed = random() < 0.4 ? received + 5 + Math.floor(random() * 120) : null;
      const outcome = closed ? pick(OUTCOMES) : null;
      insertCase.run(id, teamId, teamKeyId, closed ? 'closed' : ack ? 'acknowledged' : 'received', category, pick(SYSTEM_TYPES), country(),
        random() < 0.04 ? 1 : 0, day(received), `bench-${i}`, `${day(received)}T00:00:00.000Z`, `${day(received + 7)}T00:00:00.000Z`, outcome,
        coded ? pick(HARM_CATEGORY_IDS) : null, coded ? pick(SYSTEM_TYPES) : null, coded ? pick(DEPLOYER_CLASSES) : null,
        deploymentIds.length && random() < 0.2 ? pick(deploymentIds) : null, closed !== null ? day(closed) : null);
      insertEvent.run(`e${i}r`, id, day(received), 'received', null);
      if (ack !== null) insertEvent.run(`e${i}a`, id, day(ack), 'acknowledged', null);
      if (closed !== null) insertEvent.run(`e${i}c`, id, day(closed), 'closed', outcome);
      if (random() < 0.1) {
        const sent = received + 10;
        const answered = random() < 0.5;
        insertReferral.run(`r${i}`, id, pick(pathways).id, day(sent), answered ? pick(REFERRAL_OUTCOMES) : null,
          answered ? day(sent + 30) : null, user, `${day(sent)}T00:00:00.000Z`);
      }
    }
  })();
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('optimize');
}
