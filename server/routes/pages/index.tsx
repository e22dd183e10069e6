// The public HTML pages: the form (server-rendered, then enhanced by the app), and the
// no-JavaScript path: POST /report seals the report on arrival, POST /report/confirm checks that
// the reporter saved the receipt. Every page is rendered in the request's language.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { EMPTY_FORM, type FormErrors, type ReportForm } from '../../../protocol/report-form.ts';
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
import { newFormId, openReceiptToken } from '../../services/receipt-token.ts';
import { HtmlPage, frameOf, localeFor, reportBoot, sendNotOpen } from './page-kit.tsx';
import { ConfirmedPage, ExpiredPage, ReceiptPage } from './views.tsx';

/** Collects the text fields of a multipart form. Files are refused by the multipart limits. */
async function readFields(req: FastifyRequest): Promise<Map<string, string>> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  const fields = new Map<string, string>();
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field' && typeof part.value === 'string') fields.set(part.fieldname, part.value);
    }
  } catch (err) {
    // Limits keep their 413; any other broken framing (no boundary, cut short, garbage) is the
    // sender's fault: a 400 with a stable code, not a logged 500.
    if ((err as { statusCode?: number }).statusCode === 413) throw err;
    throw new AppError(400, 'malformed_body');
  }
  return fields;
}


export default async function pages(app: FastifyInstance) {
  function formPage(locale: Locale, form: ReportForm = EMPTY_FORM, errors: FormErrors = {}, withApp = true, formId?: string): string {
    const intake = buildIntake(app.db)!;
    const body = (
      <Layout {...frameOf(app, locale)} path="/">
        <h1>{locale.t('title')}</h1>
        <p class="tagline">{locale.t('tagline')}</p>
        <PlainForm t={locale.t} lang={locale.code} form={form} errors={errors} formId={formId ?? newFormId()} />
      </Layout>
    );
    return renderPage({ locale, assets: app.assets, body, boot: withApp ? reportBoot(app, locale, intake) : undefined });
  }

  app.get('/', { config: PUBLIC, schema: { summary: 'The report form', response: HtmlPage } }, async (req, reply) => {
    const locale = localeFor(app, req, reply);
    if (!buildIntake(app.db)) return sendNotOpen(app, req, reply, locale);
    return sendHtml(req, reply, formPage(locale));
  });

  app.post('/report', {
    config: { ...PUBLIC, rateLimit: { max: app.config.submitRateLimit, timeWindow: '1 minute' } },
    schema: { summary: 'The report form without JavaScript: sealed by the server on arrival', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const fields = await readFields(req);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const intake = buildIntake(app.db);
    if (!intake) return sendNotOpen(app, req, reply, locale);
    const frame = frameOf(app, locale);
    const filed = await fileServerSealedReport(app.db, app.state, intake, locale.code, (name) => fields.get(name), app.config.smtpUrl !== null);
    switch (filed.outcome) {
      case 'invalid':
        return sendHtml(req, reply, formPage(locale, filed.form, filed.errors, false, filed.formId), 400);
      case 'already_sent':
        return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ConfirmedPage {...frame} /> }));
      case 'filed':
        return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ReceiptPage {...frame} receipt={filed.receipt} token={filed.token} mismatch={false} /> }));
    }
  });

  app.post('/report/confirm', {
    config: PUBLIC,
    schema: { summary: 'Confirms, without JavaScript, that the receipt was saved', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const fields = await readFields(req);
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
    const match = /^(desk-)?([a-z]{2,3})\.([0-9a-f]{12})\.json$/.exec(req.params.file);
    const locale = match && app.locales.has(match[2]!) ? app.locales.get(match[2]!) : undefined;
    const found = match?.[1] ? locale?.desk : locale?.public;
    if (!found || found.hash !== match![3]) throw new AppError(404, 'not_found');
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return sendCompressed(req, reply, found.json, 'application/json; charset=utf-8');
  });
}

