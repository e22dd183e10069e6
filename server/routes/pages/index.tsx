// The public HTML pages: the form (server-rendered, then enhanced by the app), and the
// no-JavaScript path: POST /report seals the report on arrival, POST /report/confirm checks that
// the reporter saved the receipt. Every page is rendered in the request's language. Both posts are
// guarded (services/form-guard.ts): other sites' posts and oversized bodies are refused before the
// body is read, and only a form id this server signed can be filed.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { EMPTY_FORM, readForm, type FormErrors, type ReportForm } from '../../../protocol/report-form.ts';
import { confirmsReceipt } from '../../../protocol/receipt.ts';
import { Layout } from '../../../ui/report/Layout.tsx';
import { PlainForm } from '../../../ui/report/PlainForm.tsx';
import { sendCompressed } from '../../compress.ts';
import { AppError } from '../../errors.ts';
import type { Locale } from '../../i18n.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { buildIntake } from '../../services/organisation.ts';
import { fileServerSealedReport } from '../../services/no-js-report.ts';
import { openReceiptToken } from '../../services/receipt-token.ts';
import { checkFormId, guardFormPost, issueFormId, readFormFields } from '../../services/form-guard.ts';
import { HtmlPage, frameOf, localeFor, reportBoot, sendNotOpen } from './page-kit.tsx';
import { ConfirmedPage, ExpiredPage, ReceiptPage } from './views.tsx';

export default async function pages(app: FastifyInstance) {
  async function formPage(locale: Locale, form: ReportForm = EMPTY_FORM, errors: FormErrors = {}, withApp = true, formId?: string, notice?: string): Promise<string> {
    const intake = buildIntake(app.db)!;
    const body = (
      <Layout {...frameOf(app, locale)} path="/">
        <h1>{locale.t('title')}</h1>
        <p class="tagline">{locale.t('tagline')}</p>
        {notice && <p class="notice" role="alert">{notice}</p>}
        <PlainForm t={locale.t} lang={locale.code} form={form} errors={errors} formId={formId ?? issueFormId(app.state.keys.formId)} />
      </Layout>
    );
    return renderPage({ locale, assets: app.assets, body, boot: withApp ? await reportBoot(app, locale, intake) : undefined, indexable: withApp });
  }

  app.get('/', { config: PUBLIC, schema: { summary: 'The report form', response: HtmlPage } }, async (req, reply) => {
    const locale = localeFor(app, req, reply);
    if (!buildIntake(app.db)) return sendNotOpen(app, req, reply, locale);
    return sendHtml(req, reply, await formPage(locale));
  });

  app.post('/report', {
    config: { ...PUBLIC, rateLimit: { max: app.config.submitRateLimit, timeWindow: '1 minute' } },
    onRequest: guardFormPost,
    schema: { summary: 'The report form without JavaScript: sealed by the server on arrival', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const fields = await readFormFields(req, reply);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const intake = buildIntake(app.db);
    if (!intake) return sendNotOpen(app, req, reply, locale);
    const frame = frameOf(app, locale);
    // Only a form this server rendered (in the last day) is filed; otherwise it comes back as typed.
    if (!checkFormId(app.state.keys.formId, fields.get('formId'))) {
      return sendHtml(req, reply, await formPage(locale, readForm((name) => fields.get(name)), {}, false, undefined, locale.t('guard.resend')), 400);
    }
    let filed: Awaited<ReturnType<typeof fileServerSealedReport>>;
    try {
      filed = await fileServerSealedReport(app.db, app.state, intake, locale.code, (name) => fields.get(name), app.argon2.run, app.config.smtpUrl !== null);
    } catch (err) {
      // Every Argon2id worker busy and the queue full: nothing stored, the form comes back as typed.
      if (!(err instanceof AppError) || err.code !== 'server_busy') throw err;
      return sendHtml(req, reply, await formPage(locale, readForm((name) => fields.get(name)), {}, false, fields.get('formId'), locale.t('guard.busy')), 503);
    }
    switch (filed.outcome) {
      case 'invalid':
        return sendHtml(req, reply, await formPage(locale, filed.form, filed.errors, false, filed.formId), 400);
      case 'already_sent':
        return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ConfirmedPage {...frame} /> }));
      case 'filed':
        return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ReceiptPage {...frame} receipt={filed.receipt} token={filed.token} mismatch={false} /> }));
    }
  });

  app.post('/report/confirm', {
    config: PUBLIC,
    onRequest: guardFormPost,
    schema: { summary: 'Confirms, without JavaScript, that the receipt was saved', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const fields = await readFormFields(req, reply);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const frame = frameOf(app, locale);
    const receipt = openReceiptToken(app.state.keys.receiptToken, fields.get('token') ?? '');
    if (!receipt) return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ExpiredPage {...frame} /> }), 400);
    if (confirmsReceipt(fields.get('last4') ?? '', receipt)) {
      return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ConfirmedPage {...frame} /> }));
    }
    const page = <ReceiptPage {...frame} receipt={receipt} token={fields.get('token')!} mismatch />;
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: page }), 400);
  });

  app.get<{ Params: { file: string } }>('/locales/:file', {
    config: PUBLIC,
    schema: {
      summary: 'A language bundle at a content-hashed address (immutable)',
      params: Type.Object({ file: Type.String({ maxLength: 40 }) }),
      response: { 200: { description: 'Translations (i18next resources)', content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) } } } },
    },
  }, async (req, reply) => {
    // The follow-up page's remedy texts: fetched only once a case is open (so the form's first
    // load stays small), at a fixed address per language, revalidated by its content hash.
    const remedy = /^remedy-([a-z]{2,3})\.json$/.exec(req.params.file);
    if (remedy) {
      if (!app.locales.has(remedy[1]!)) throw new AppError(404, 'not_found');
      const { hash, json } = app.locales.get(remedy[1]!).remedy;
      reply.header('cache-control', 'no-cache').header('etag', `"${hash}"`);
      if (req.headers['if-none-match'] === `"${hash}"`) return reply.code(304).send();
      return sendCompressed(req, reply, json, 'application/json; charset=utf-8');
    }
    const match = /^(desk-|evidence-)?([a-z]{2,3})\.([0-9a-f]{12})\.json$/.exec(req.params.file);
    const locale = match && app.locales.has(match[2]!) ? app.locales.get(match[2]!) : undefined;
    const found = match?.[1] === 'desk-' ? locale?.desk : match?.[1] === 'evidence-' ? locale?.evidence : locale?.public;
    const hash = match?.[1] === 'evidence-' ? app.locales.evidenceHash : found?.hash;
    if (!found || hash !== match![3]) throw new AppError(404, 'not_found');
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return sendCompressed(req, reply, found.json, 'application/json; charset=utf-8');
  });
}

