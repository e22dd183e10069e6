// What the data folder says about time (PROTOCOL.md §35): after a desk session around a
// submission and one checkpoint tick, no instant written after the sign-in is left anywhere in the
// folder (desk requests write nothing; the log's ordered frames are gone), every file's time is the
// tick's, and the files are readable by their owner only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { checkpointNow } from '../../server/plugins/storage-hygiene.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp({ config: { checkpointSeconds: 0 } }); });
afterAll(async () => { await t.close(); });

const INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z/g;
const FILES = ['redress.sqlite', 'redress.sqlite-wal', 'redress.sqlite-shm'];

describe('time in the data folder', () => {
  it('keeps no instant from a desk session around a submission, and dates every file to the tick', async () => {
    const admin = await setupAdmin(t.db);
    const user = await createDeskUser(t.db, { email: 'w@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
    const desk = await signIn(t.app, user);
    const signedIn = Date.now();
    const look = () => t.app.inject({ url: '/api/cases', headers: { cookie: desk.cookie } });
    expect((await look()).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5)); // so every later instant is after signedIn
    const sealed = await sealSubmission(validForm(), 'en', t.intake());
    expect((await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } })).statusCode).toBe(201);
    expect((await look()).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: desk.cookie } })).statusCode).toBe(200);
    const end = Date.now();
    // A pause before the tick, so a file dated by its last commit is told apart from one dated by
    // the tick despite the kernel's coarse file clock (a few milliseconds).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const tick = Date.now();
    checkpointNow(t.db);

    expect(statSync(join(t.dataDir, 'redress.sqlite-wal')).size).toBe(0);
    const bytes = FILES.map((f) => readFileSync(join(t.dataDir, f)).toString('latin1')).join('\n');
    const during = [...bytes.matchAll(INSTANT)].map((m) => m[0]).filter((at) => {
      const ms = Date.parse(at);
      return ms > signedIn && ms <= end;
    });
    expect(during).toEqual([]);
    for (const file of FILES) {
      const stat = statSync(join(t.dataDir, file));
      expect(stat.mtimeMs, file).toBeGreaterThanOrEqual(tick - 20);
      expect(stat.mode & 0o777, file).toBe(0o600);
    }
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
    // The encrypted files' folder (issue 11): owner only, and dated to the tick like the files.
    const attachments = statSync(join(t.dataDir, 'attachments'));
    expect(attachments.mode & 0o777).toBe(0o700);
    expect(attachments.mtimeMs).toBeGreaterThanOrEqual(tick - 20);
    expect(readdirSync(t.dataDir).sort()).toEqual([...FILES, 'attachments'].sort());
  });
});
