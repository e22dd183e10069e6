// Durability, shown rather than promised: the compiled server as its own process takes reports
// from several clients while a caseworker changes statuses (audit entries), and is SIGKILLed
// mid-stream, three times. Afterwards every report answered 201 is there and opens with the
// recovery kit, every status change answered 200 is recorded, nothing half-written exists, the
// database passes integrity_check and the audit chain verifies.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { derivePasswordKeys, recoveryKeyPairFromKit } from '../../protocol/keys.ts';
import type { SubmitReport } from '../../protocol/api.ts';
import { buildIntake } from '../../server/services/organisation.ts';
import { setupOrganisation } from '../../server/services/setup.ts';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { ADMIN_PASSWORD } from '../helpers/app.ts';
import { setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { openEveryCase, quickSubmission } from './helpers.ts';

const ROUNDS = 3;
const PER_ROUND = 150;
/** Kill once this many reports of the round were acknowledged, with the others still being sent. */
const KILL_AFTER = 90;
const CLIENTS = 4;

let dir: string;
let dataDir: string;
let kit: string;
let admin: DeskUser;
const bodies: { narrative: string; body: SubmitReport }[][] = [];
const acknowledged = new Set<string>();
const statusChanges: string[] = [];
let session: { cookie: string; csrf: string } | undefined;

beforeAll(async () => {
  expect(existsSync('dist/BUILD'), 'run `npm run build` before the tests (npm test does)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'redress-durability-'));
  dataDir = join(dir, 'data');
  const db = openDatabase(dataDir);
  kit = await setupOrganisation(db, { organisationName: 'Durable Org', adminEmail: 'admin@example.org', password: ADMIN_PASSWORD });
  admin = await setupAdmin(db);
  const intake = buildIntake(db)!;
  db.$client.close();
  for (let r = 0; r < ROUNDS; r++) {
    const round = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const narrative = `durability ${r}-${i}`;
      round.push({ narrative, body: await quickSubmission(intake, narrative) });
    }
    bodies.push(round);
  }
});
/** Every server started, so a failed assertion never leaves one running. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/node/server/main.js'], {
      env: { PATH: process.env.PATH!, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SUBMIT_RATE_LIMIT: '1000000', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, base: `http://127.0.0.1:${port}` });
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`)));
  });
}

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const kdf = await (await fetch(`${base}/api/auth/prelogin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email }) })).json();
  const { authKey } = await derivePasswordKeys(admin.password, kdf);
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, authKey: toBase64Url(authKey), totp: totpAt(admin.totpSecret!, stepOf(Date.now())) }),
  });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: (await res.json()).me.csrfToken };
}

async function round(r: number) {
  const { child, base } = await startServer();
  const exited = new Promise((done) => child.once('exit', done));
  // One sign-in: the session is in the database, so it outlives each kill.
  session ??= await signIn(base);
  const desk = session;
  const queue = [...bodies[r]!];
  let acknowledgedThisRound = 0;
  let killed = false;
  const kill = () => { if (!killed) { killed = true; child.kill('SIGKILL'); } };

  const reporter = async () => {
    for (let next = queue.shift(); next && !killed; next = queue.shift()) {
      try {
        const res = await fetch(`${base}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(next.body) });
        if (res.status === 201) {
          acknowledged.add(next.narrative);
          if (++acknowledgedThisRound >= KILL_AFTER) kill();
        } else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
      } catch (err) {
        if (!killed) throw err; // a connection cut by the kill: neither acknowledged nor counted
      }
    }
  };
  const caseworker = async () => {
    while (!killed) {
      try {
        const headers = { cookie: desk.cookie, 'x-csrf-token': desk.csrf, 'content-type': 'application/json' };
        const queueRes = await fetch(`${base}/api/cases?status=received`, { headers });
        const open = (await queueRes.json()).items as { id: string }[] | undefined;
        const target = open?.[0];
        if (!target) { await new Promise((d) => setTimeout(d, 5)); continue; }
        const res = await fetch(`${base}/api/cases/${target.id}/status`, { method: 'POST', headers, body: JSON.stringify({ status: 'triaged' }) });
        if (res.status === 200) statusChanges.push(target.id);
      } catch (err) {
        if (!killed) throw err;
      }
    }
  };
  await Promise.all([...Array.from({ length: CLIENTS }, reporter), caseworker()]);
  kill();
  await exited;
  expect(acknowledgedThisRound).toBeGreaterThanOrEqual(KILL_AFTER);
}

describe('durability under SIGKILL', () => {
  it(`keeps every acknowledged report and status change across ${ROUNDS} kills`, { timeout: 300_000 }, async () => {
    for (let r = 0; r < ROUNDS; r++) await round(r);

    // One more start: the database that the last kill left must open, migrate and serve.
    const { child, base } = await startServer();
    expect((await (await fetch(`${base}/healthz`)).json()).open).toBe(true);
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));

    const narratives = await openEveryCase(join(dataDir, 'redress.sqlite'), (await recoveryKeyPairFromKit(kit))!);
    expect(narratives).not.toContain(null); // nothing half-written: every stored case opens
    expect(new Set(narratives).size).toBe(narratives.length);
    for (const narrative of acknowledged) expect(narratives, narrative).toContain(narrative);
    expect(acknowledged.size).toBeGreaterThanOrEqual(ROUNDS * KILL_AFTER);

    const db = new Database(join(dataDir, 'redress.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(statusChanges.length).toBeGreaterThan(0);
    const triaged = new Set((db.prepare("select case_id from case_events where status = 'triaged'").all() as { case_id: string }[]).map((r) => r.case_id));
    for (const id of statusChanges) expect(triaged.has(id), id).toBe(true);
    // Each case's status agrees with its last event: no change half applied.
    const disagreeing = db.prepare(`select c.id from cases c where c.status != (select e.status from case_events e where e.case_id = c.id order by e.rowid desc limit 1)`).all();
    expect(disagreeing).toEqual([]);
    db.close();

    const audit = spawnSync(process.execPath, ['dist/node/server/cli.js', 'verify-audit'], { env: { PATH: process.env.PATH!, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/Audit log intact: \d+ entries/);
  });
});
