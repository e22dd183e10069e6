// The public HTML pages: the form (server-rendered, then enhanced by the app), and the
// no-JavaScript path: POST /report seals the report on arrival, POST /report/confirm checks that
// the reporter saved the receipt. Every page is rendered in the request's language.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Layout } from '../../../ui/report/Layout.tsx';
import { PlainForm } from '../../../ui/report/PlainForm.tsx';
import { EMPTY_FORM, readForm, validateForm } from '../../../protocol/report-form.ts';
import { sealSubmission } from '../../../protocol/seal-report.ts';
import { confirmsReceipt } from '../../../protocol/receipt.ts';
import { AppError } from '../../errors.ts';
import { LANG_COOKIE, type Locale } from '../../i18n.ts';
import { sendCompressed } from '../../compress.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { buildIntake } from '../../services/organisation.ts';
import { acceptReport } from '../../services/reports.ts';
import { markSent, newFormId, openReceiptToken, sealReceiptToken, wasSent } from '../../services/receipt-token.ts';
import { ConfirmedPage, ExpiredPage, NotOpen, ReceiptPage } from './views.tsx';

/** Collects the text fields of a multipart form. Files are refused by the multipart limits. */
async function readFields(req: FastifyRequest): Promise<Map<string, string>> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  const fields = new Map<string, string>();
  for await (const part of req.parts()) {
    if (part.type === 'field' && typeof part.value === 'string') fields.set(part.fieldname, part.value);
  }
  return fields;
}

export default async function pages(app: FastifyInstance) {
  const frame = (locale: Locale) => ({ t: locale.t, lang: locale.code, quickExitUrl: app.config.quickExitUrl });

  function localeFor(req: FastifyRequest, reply: FastifyReply, chosen?: string): Locale {
    const code = chosen && app.locales.has(chosen) ? chosen : app.locales.pick(req);
    const query = (req.query as { lang?: string }).lang;
    if (query && app.locales.has(query)) {
      reply.header('set-cookie', `${LANG_COOKIE}=${query}; Path=/; Max-Age=31536000; SameSite=Strict${app.config.tls ? '; Secure' : ''}`);
    }
    return app.locales.get(code);
  }

  function formPage(locale: Locale, form = EMPTY_FORM, errors = {}, withApp = true, formId?: string): string {
    const intake = buildIntake(app.db)!;
    const body = (
      <Layout {...frame(locale)} path="/">
        <h1>{locale.t('title')}</h1>
        <p class="tagline">{locale.t('tagline')}</p>
        <PlainForm t={locale.t} lang={locale.code} form={form} errors={errors} formId={formId ?? newFormId()} />
      </Layout>
    );
    const boot = withApp ? {
      lang: locale.code,
      resources: { report: locale.public.resources.report!, taxonomy: locale.public.resources.taxonomy! },
      intake: { routing: intake.routing, recovery: intake.recovery, receiptSalt: intake.receiptSalt },
      quickExitUrl: app.config.quickExitUrl,
      localeUrls: app.locales.urls(),
    } : undefined;
    return renderPage({ locale, assets: app.assets, body, boot });
  }

  app.get('/', async (req, reply) => {
    const locale = localeFor(req, reply);
    if (!buildIntake(app.db)) {
      return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <NotOpen {...frame(locale)} /> }), 503);
    }
    return sendHtml(req, reply, formPage(locale));
  });

  app.post('/report', { config: { rateLimit: { max: app.config.submitRateLimit, timeWindow: '1 minute' } } }, async (req, reply) => {
    const fields = await readFields(req);
    const locale = localeFor(req, reply, fields.get('lang'));
    const intake = buildIntake(app.db);
    if (!intake) {
      return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <NotOpen {...frame(locale)} /> }), 503);
    }
    const form = readForm((name) => fields.get(name));
    const errors = validateForm(form);
    const formId = fields.get('formId') ?? '';
    if (Object.keys(errors).length > 0) return sendHtml(req, reply, formPage(locale, form, errors, false, formId || undefined), 400);
    // The same form sent again (a reload of the receipt page) must not file a second case.
    if (formId && wasSent(formId)) {
      return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ConfirmedPage {...frame(locale)} /> }));
    }
    // The plaintext exists only in this request's memory; it is sealed before anything is stored.
    const sealed = await sealSubmission(form, locale.code, intake);
    await acceptReport(app.db, sealed.body, 'server');
    if (formId) markSent(formId);
    const page = <ReceiptPage {...frame(locale)} receipt={sealed.receipt} token={sealReceiptToken(sealed.receipt)} mismatch={false} />;
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: page }));
  });

  app.post('/report/confirm', async (req, reply) => {
    const fields = await readFields(req);
    const locale = localeFor(req, reply, fields.get('lang'));
    const receipt = openReceiptToken(fields.get('token') ?? '');
    if (!receipt) return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ExpiredPage {...frame(locale)} /> }), 400);
    if (confirmsReceipt(fields.get('last4') ?? '', receipt)) {
      return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <ConfirmedPage {...frame(locale)} /> }));
    }
    const page = <ReceiptPage {...frame(locale)} receipt={receipt} token={fields.get('token')!} mismatch />;
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: page }), 400);
  });

  app.get<{ Params: { file: string } }>('/locales/:file', async (req, reply) => {
    const match = /^(desk-)?([a-z]{2,3})\.([0-9a-f]{12})\.json$/.exec(req.params.file);
    const locale = match && app.locales.has(match[2]!) ? app.locales.get(match[2]!) : undefined;
    const found = match?.[1] ? locale?.desk : locale?.public;
    if (!found || found.hash !== match![3]) throw new AppError(404, 'not_found');
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return sendCompressed(req, reply, found.json, 'application/json; charset=utf-8');
  });
}
