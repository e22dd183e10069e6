// The public routes under attack (PROTOCOL.md §34): cross-site no-JavaScript posts, unsigned or
// stale form ids, malformed multipart and cut values, a busy Argon2id pool, global caps, IPv6
// clients counted per /64, and a flood of made-up sign-in emails that must not reset a real
// account's slow-down. Each refusal stores nothing and writes no log line.
import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cases } from '../../db/schema.ts';
import { RECEIPT_KDF } from '../../protocol/receipt.ts';
import { checkThrottle, recordFailure } from '../../server/services/accounts.ts';
import { clientKey } from '../../server/services/client-address.ts';
import { LruStore, type LoginFailures } from '../../server/state.ts';
import { issueFormId } from '../../server/services/form-guard.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser } from '../helpers/desk.ts';
import { formFields, multipart } from '../helpers/multipart.ts';
import { MARKER, validForm } from '../fixtures/report.ts';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp({ config: { submitRateLimit: 100, sealWorkers: 1, sealQueue: 0 } }); });
afterEach(async () => { await t.close(); });

const stored = () => t.db.select({ n: count() }).from(cases).get()!.n;
const formId = (now?: number) => issueFormId(t.app.state.keys.formId, now);
async function postForm(fields: Record<string, string>, headers: Record<string, string> = {}, url = '/report') {
  const body = await multipart(fields);
  return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...headers } });
}
const raw = (payload: string | Buffer, contentType: string, url = '/report') =>
  t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

describe('no-JavaScript posts', () => {
  it('refuses posts from another site, judged by Sec-Fetch-Site, else Origin', async () => {
    const fields = formFields(validForm(), { lang: 'en', formId: formId() });
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }] as Record<string, string>[]) {
      const res = await postForm(fields, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().code).toBe('cross_site');
    }
    const confirm = await postForm({ token: 'x', last4: '1234' }, { 'sec-fetch-site': 'cross-site' }, '/report/confirm');
    expect(confirm.json().code).toBe('cross_site');
    expect(stored()).toBe(0);
    const ok = await postForm(fields, { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' });
    expect(ok.statusCode).toBe(200);
    expect(stored()).toBe(1);
  });

  it('files only forms with an id this server signed in the last day, and gives the others back as typed', async () => {
    for (const id of [undefined, 'A'.repeat(48), formId(Date.now() - 25 * 3_600_000)]) {
      const res = await postForm(formFields(validForm(), { lang: 'en', ...(id ? { formId: id } : {}) }));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(MARKER); // what was typed comes back
      expect(res.body).toContain('class="notice"');
      const fresh = /name="formId" value="([^"]+)"/.exec(res.body)![1]!;
      expect(fresh).not.toBe(id);
      // …with a fresh id that works.
      expect((await postForm(formFields(validForm(), { lang: 'en', formId: fresh }))).statusCode).toBe(200);
    }
    expect(stored()).toBe(3);
  });

  it('answers malformed multipart with 400 malformed_form and a cut value with 413, on both routes, without a log line', async () => {
    const part = (boundary: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="narrative"\r\n\r\n${value}\r\n--${boundary}--\r\n`;
    for (const url of ['/report', '/report/confirm']) {
      for (const [payload, type] of [
        [part('b', 'x'), 'multipart/form-data'], // no boundary
        [part('b', 'x'), 'multipart/form-data; boundary=other'], // wrong boundary
        [part('b', 'x').slice(0, 40), 'multipart/form-data; boundary=b'], // truncated
        ['\u0000\u0001garbage\r\n\r\n', 'multipart/form-data; boundary=b'], // garbage
      ] as const) {
        const res = await raw(payload, type, url);
        expect(res.statusCode, `${url} ${type} ${JSON.stringify(payload.slice(0, 20))}`).toBe(400);
        expect(res.json().code).toBe('malformed_form');
      }
      const long = await raw(part('b', 'x'.repeat(90_000)), 'multipart/form-data; boundary=b', url);
      expect(long.statusCode).toBe(413);
      expect(long.json().code).toBe('body_too_large');
    }
    expect(t.logs).toEqual([]);
    expect(stored()).toBe(0);
  });

  it('derives the receipt keys in a worker, and gives the form back when every worker is busy', async () => {
    expect((await postForm(formFields(validForm(), { lang: 'en', formId: formId() }))).statusCode).toBe(200);
    expect(t.app.argon2.completed).toBe(1);
    // Keep the one worker busy with a heavy derivation; with no queue, the next report must wait.
    const heavy = t.app.argon2.run(new Uint8Array(20), new Uint8Array(16), 4, 8 * RECEIPT_KDF.memlimit);
    const busy = await postForm(formFields(validForm(), { lang: 'en', formId: formId() }));
    expect(busy.statusCode).toBe(503);
    expect(busy.body).toContain(MARKER);
    await heavy;
    expect(stored()).toBe(1);
  });
});

describe('caps and clients', () => {
  it('caps a public route for all clients together, and never /healthz', async () => {
    const capped = await makeTestApp({ config: { publicGlobalLimit: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await capped.app.inject({ url: '/api/intake', remoteAddress: `203.0.113.${i}` })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 503, 503]);
      const refused = await capped.app.inject({ url: '/api/intake', remoteAddress: '203.0.113.99' });
      expect(refused.json().code).toBe('server_busy');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) expect((await capped.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await capped.close();
    }
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', async () => {
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    const open = (ip: string) => t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: 'x' }, remoteAddress: ip });
    for (let i = 1; i <= 10; i++) expect((await open(`2001:db8:1:2::${i.toString(16)}`)).statusCode).toBe(400);
    expect((await open('2001:db8:1:2:aaaa::1')).statusCode).toBe(429); // same /64, another address
    expect((await open('2001:db8:1:3::1')).statusCode).toBe(400); // the next /64 is another client
  });

  it('keeps a real account slowed down through a flood of made-up emails', async () => {
    await createDeskUser(t.db, { email: 'real@example.org', role: 'caseworker' });
    // The app's stores hold 100,000 entries each; the same rule with 100 keeps the test fast.
    const state = { loginFailures: new LruStore<LoginFailures>(100), unknownLoginFailures: new LruStore<LoginFailures>(100) };
    const now = Date.now();
    for (let i = 0; i < 5; i++) recordFailure(state, t.db, 'real@example.org', now);
    expect(() => checkThrottle(state, t.db, 'real@example.org', now + 1000)).toThrow(/too_many_attempts/);
    for (let i = 0; i <= 1000; i++) recordFailure(state, t.db, `nobody-${i}@example.org`, now);
    expect(state.unknownLoginFailures.size).toBe(100);
    expect(() => checkThrottle(state, t.db, 'real@example.org', now + 1000)).toThrow(/too_many_attempts/);
    expect(t.app.state.loginFailures).not.toBe(t.app.state.unknownLoginFailures);
  });
});
