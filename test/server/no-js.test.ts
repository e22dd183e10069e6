// The form without JavaScript: a plain HTML POST, sealed by the server on arrival, a receipt page,
// and the "type the last four digits" confirmation; invalid forms come back with messages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { AD_LABEL, openEnvelope } from '../../protocol/envelope.ts';
import type { ReportContent } from '../../protocol/api.ts';
import { caseBinding } from '../../server/services/cases.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { formFields, multipart } from '../helpers/multipart.ts';
import { issueFormId } from '../../server/services/form-guard.ts';
import { MARKER, validForm } from '../fixtures/report.ts';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

/** Posts a form as the browser would, with a form id the server signed (PROTOCOL.md §34.3). */
const post = async (url: string, fields: Record<string, string>, files?: Record<string, string>) =>
  t.app.inject({ method: 'POST', url, ...(await multipart({ formId: issueFormId(t.app.state.keys.formId), ...fields }, files)) });
const receiptOf = (html: string) => /class="receipt-number" dir="ltr" lang="en"[^>]*><bdo dir="ltr">([\d ]+)</.exec(html)?.[1]?.replace(/ /g, '');
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

describe('no-JavaScript form', () => {
  it('renders the whole form as plain HTML that posts to the server', async () => {
    const res = await t.app.inject({ url: '/?lang=fr' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="fr" dir="ltr">');
    expect(res.body).toMatch(/<form method="post" action="\/report\?lang=fr" enctype="multipart\/form-data"/);
    for (const name of ['category', 'country', 'year', 'role', 'narrative', 'contactMethod', 'consentReferral']) {
      expect(res.body).toContain(`name="${name}"`);
    }
    // A session cookie: no Max-Age or Expires, so a shared phone keeps no lasting sign of the visit.
    expect(res.headers['set-cookie']).toBe('redress_lang=fr; Path=/; SameSite=Strict');
  });

  it('falls back to the browser\'s preference, then English, for an unknown, malformed or overlong ?lang=', async () => {
    const odd = ['xx', 'EN', 'ar-SY', '<script>alert(1)</script>', 'a'.repeat(5000), 'ar%00', '../en', 'ckb"onmouseover="x'];
    for (const lang of odd) {
      for (const [accept, expected] of [['fa-AF,fa;q=0.9', 'fa'], ['', 'en'], ['zz', 'en']] as const) {
        const res = await t.app.inject({ url: `/?lang=${encodeURIComponent(lang)}`, headers: accept ? { 'accept-language': accept } : {} });
        expect(res.statusCode, lang).toBe(200);
        expect(res.body, lang).toContain(`<html lang="${expected}"`);
        expect(res.body).not.toContain('<script>alert');
        expect(res.body).not.toContain('onmouseover');
        expect(res.body).not.toContain('a'.repeat(100));
        expect(res.headers['set-cookie'], lang).toBeUndefined();
      }
    }
  });

  it('seals the report on arrival, shows the receipt, and confirms the last four digits', async () => {
    const res = await post('/report', formFields(validForm(), { lang: 'ar' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    const receipt = receiptOf(res.body)!;
    expect(receipt).toMatch(/^\d{20}$/);
    expect(res.body).toContain('class="receipt-number native"'); // the same number in Arabic-Indic digits

    const row = t.db.select().from(cases).get()!;
    expect(row.sealedBy).toBe('server');
    expect(row.language).toBe('ar');
    expect(row.envelope).not.toContain(MARKER);
    const clear = caseBinding(row);
    const content = await openEnvelope<ReportContent>(AD_LABEL.report, clear, row.envelope, t.recovery!);
    expect(content?.narrative).toContain(MARKER);

    const token = tokenOf(res.body)!;
    const wrong = await post('/report/confirm', { token, last4: '0000' === receipt.slice(-4) ? '1111' : '0000', lang: 'ar' });
    expect(wrong.statusCode).toBe(400);
    expect(receiptOf(wrong.body)).toBe(receipt);
    expect(wrong.body).toContain('id="last4-error"');
    // Typed in Eastern Arabic digits, as an Arabic keyboard would.
    const easternLast4 = receipt.slice(-4).replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));
    const right = await post('/report/confirm', { token, last4: easternLast4, lang: 'ar' });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('class="confirmed"');
    expect(right.body).not.toContain(receipt.slice(0, 8));

    const forged = await post('/report/confirm', { token: `${token.slice(0, -2)}AA`, last4: receipt.slice(-4) });
    expect(forged.statusCode).toBe(400);
    expect(receiptOf(forged.body)).toBeUndefined();
  });

  it('does not file a second case when the same form is sent again (a reload)', async () => {
    const page = await t.app.inject({ url: '/?lang=en' });
    const formId = /name="formId" value="([^"]+)"/.exec(page.body)![1]!;
    const first = await post('/report', formFields(validForm(), { lang: 'en', formId }));
    expect(receiptOf(first.body)).toMatch(/^\d{20}$/);
    const again = await post('/report', formFields(validForm(), { lang: 'en', formId }));
    expect(again.statusCode).toBe(200);
    expect(receiptOf(again.body)).toBeUndefined();
    expect(again.body).toContain('class="confirmed"');
    expect(t.db.select({ n: count() }).from(cases).get()!.n).toBe(1);
  });

  it('lets search engines list the form and the follow-up page, described in the page language, and nothing else', async () => {
    for (const url of ['/?lang=ar', '/follow-up?lang=ar']) {
      const res = await t.app.inject({ url });
      expect(res.body, url).toContain('<meta name="description" content="أخبرنا عن ضرر');
      expect(res.body, url).not.toContain('noindex');
    }
    // An answer to a submission (here an incomplete form) and the desk stay out of search results.
    const incomplete = await post('/report', formFields(validForm({ narrative: '' }), { lang: 'en' }));
    const desk = await t.app.inject({ url: '/desk' });
    for (const res of [incomplete, desk]) {
      expect(res.body).toContain('<meta name="robots" content="noindex">');
      expect(res.body).not.toContain('name="description"');
    }
  });

  it('refuses a year outside the offered range and a share-data consent without referral', async () => {
    const old = await post('/report', formFields(validForm({ year: '1850' })));
    expect(old.statusCode).toBe(400);
    expect(old.body).toContain('id="year-error"');
    expect(t.db.select({ n: count() }).from(cases).get()!.n).toBe(0);
  });

  it('returns an incomplete form with translated messages, keeps what was typed, stores nothing', async () => {
    const res = await post('/report', formFields(validForm({ category: '', narrative: '', contactValue: '' }), { lang: 'fr' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="category-error"');
    expect(res.body).toContain('id="narrative-error"');
    expect(res.body).toContain('id="contactValue-error"');
    expect(res.body).toContain('value="Camp distribution point 4"');
    expect(res.body).toContain('<html lang="fr"');
    expect(res.body).not.toContain('id="boot"');
    expect(t.db.select({ n: count() }).from(cases).get()!.n).toBe(0);
  });

  it('refuses files, unknown values and non-multipart bodies without storing anything', async () => {
    const withFile = await post('/report', formFields(validForm()), { attachment: 'x' });
    expect(withFile.statusCode).toBe(413);
    const unknown = await post('/report', formFields(validForm({ country: 'XX' })));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('id="country-error"');
    const json = await t.app.inject({ method: 'POST', url: '/report', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(t.db.select({ n: count() }).from(cases).get()!.n).toBe(0);
  });
});
