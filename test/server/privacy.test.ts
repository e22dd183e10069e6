// What the server keeps: a marker typed into a report, and the client's address, must appear
// nowhere in the data folder or the logs, whichever way the report arrived.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { CLIENT_IP, makeTestApp, type TestApp } from '../helpers/app.ts';
import { formFields, multipart } from '../helpers/multipart.ts';
import { issueFormId } from '../../server/services/form-guard.ts';
import { MARKER, validForm } from '../fixtures/report.ts';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

function everyFileIn(dir: string): string {
  return readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFileIn(path) : readFileSync(path).toString('latin1');
  }).join('\n');
}

const variants = (text: string) => [text, Buffer.from(text, 'utf8').toString('latin1'), Buffer.from(text, 'utf16le').toString('latin1')];

describe('privacy', () => {
  it('stores and logs neither the plaintext nor the client address', async () => {
    const sealed = await sealSubmission(validForm(), 'en', t.intake());
    const api = await t.app.inject({
      method: 'POST', url: '/api/reports', payload: sealed.body, remoteAddress: CLIENT_IP,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': CLIENT_IP, 'user-agent': 'Mozilla/5.0 (Linux; Android 8.1; Nokia 2)' },
    });
    expect(api.statusCode).toBe(201);
    expect(JSON.stringify(sealed.body)).not.toContain(MARKER);

    const plain = await multipart(formFields(validForm({ narrative: `told without JavaScript ${MARKER}` }), { lang: 'en', formId: issueFormId(t.app.state.keys.formId) }));
    const nojs = await t.app.inject({ method: 'POST', url: '/report', payload: plain.payload, headers: { ...plain.headers, 'x-forwarded-for': CLIENT_IP }, remoteAddress: CLIENT_IP });
    expect(nojs.statusCode).toBe(200);
    const receipt = /class="receipt-number" dir="ltr" lang="en"[^>]*><bdo dir="ltr">([\d ]+)</.exec(nojs.body)![1]!.replace(/ /g, '');

    // A page view and an error from the same address, so every kind of log line is produced.
    await t.app.inject({ url: '/?lang=ar', remoteAddress: CLIENT_IP });
    await t.app.inject({ method: 'POST', url: '/api/reports', payload: '{', headers: { 'content-type': 'application/json' }, remoteAddress: CLIENT_IP });

    t.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const stored = everyFileIn(t.dataDir);
    const logs = t.logs.join('\n');
    // No per-request lines: each would put a precise time next to a submission.
    expect(t.logs.filter((line) => /api\/reports|"\/report"|"path"/.test(line))).toEqual([]);
    for (const secret of [MARKER, CLIENT_IP, receipt, 'Nokia 2', '+962 7 9000 0000', 'Camp distribution point 4']) {
      for (const form of variants(secret)) {
        expect(stored.includes(form), `stored: ${secret}`).toBe(false);
        expect(logs.includes(form), `logged: ${secret}`).toBe(false);
      }
    }
    // The stored day is coarse: no time of day next to a case.
    const row = t.db.$client.prepare('select received_on from cases').all() as { received_on: string }[];
    for (const r of row) expect(r.received_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
