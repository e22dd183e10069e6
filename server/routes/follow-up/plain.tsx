// Follow-up without JavaScript (PROTOCOL.md §26): plain HTML forms. Reading derives the reporter's
// keys on the server for that request only (rate-limited per client and bounded for the whole
// server); replying seals on arrival; files download through short-lived tokens. Every error is
// an HTML page in the reporter's language.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { cleanReceivedFile } from '../../../protocol/file-types.ts';
import { stripImageMetadata } from '../../../protocol/image-metadata.ts';
import { PlainCase, PlainReceiptAgain, PlainSent } from '../../../ui/report/FollowUpPlain.tsx';
import { Layout } from '../../../ui/report/Layout.tsx';
import { AppError } from '../../errors.ts';
import type { Locale } from '../../i18n.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { fileByToken, readByReceipt, replyAsServer } from '../../services/plain-follow-up.ts';
import { HtmlPage, frameOf, localeFor } from '../pages/page-kit.tsx';

interface Form { fields: Map<string, string>; file: { bytes: Buffer; name: string; type: string } | null }

async function readForm(req: FastifyRequest, maxFileBytes = 0): Promise<Form> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  const fields = new Map<string, string>();
  let file: Form['file'] = null;
  try {
    for await (const part of req.parts({ limits: { files: maxFileBytes ? 1 : 0, fileSize: maxFileBytes, fields: 10 } })) {
      if (part.type === 'field' && typeof part.value === 'string') fields.set(part.fieldname, part.value);
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (bytes.length) file = { bytes, name: part.filename, type: part.mimetype };
      }
    }
  } catch (err) {
    // As readFields of the report pages: limits keep their 413; broken framing (no boundary,
    // cut short) is the sender's fault, a 400 with a stable code, not a logged 500.
    if ((err as { statusCode?: number }).statusCode === 413) throw err;
    throw new AppError(400, 'malformed_body');
  }
  return { fields, file };
}

export default async function plainFollowUp(app: FastifyInstance) {
  const page = (req: FastifyRequest, reply: FastifyReply, locale: Locale, body: preact.JSX.Element, status = 200) =>
    sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <Layout {...frameOf(app, locale)} path="/follow-up">{body}</Layout> }), status);

  /** Any refusal as a page: the receipt form again, with what went wrong in the reporter's language. */
  function errorPage(error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
    const locale = localeFor(app, req, reply);
    const status = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500) < 500 ? error.statusCode! : 500;
    const code = error instanceof AppError ? error.code : status === 413 ? 'body_too_large' : status === 429 ? 'rate_limited' : status < 500 ? 'malformed_body' : 'internal';
    if (status >= 500 && !(error instanceof AppError)) req.log.error({ err: error }, 'request failed');
    const hint = code === 'receipt_not_found' ? locale.t('followUp.notFound') : locale.t(`errors:${code}`);
    if (status === 429) reply.header('retry-after', '60');
    return page(req, reply, locale, <PlainReceiptAgain t={locale.t} lang={locale.code} hint={hint} />, status);
  }

  const common = { config: PUBLIC, errorHandler: errorPage };

  app.post('/follow-up/read', {
    ...common,
    config: { ...PUBLIC, rateLimit: { max: app.config.plainFollowUpRateLimit, timeWindow: '1 minute' } },
    schema: { summary: 'Follow-up without JavaScript: the server opens the case for this request (PROTOCOL.md §26.1)', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const { fields } = await readForm(req);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const read = await readByReceipt(app.db, app.state, { argon2id: app.argon2.run, perMinute: app.config.serverKdfPerMinute }, fields.get('receipt') ?? '');
    if (!read.ok) {
      const form = <PlainReceiptAgain t={locale.t} lang={locale.code} hint={locale.t(`followUp.problem.${read.problem}`)} />;
      return page(req, reply, locale, form, 400);
    }
    return page(req, reply, locale, <PlainCase t={locale.t} lang={locale.code} view={read.view} messages={read.messages} session={read.session} />);
  });

  app.post('/follow-up/reply', {
    ...common,
    config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { summary: 'A reply without JavaScript, sealed by the server on arrival (PROTOCOL.md §26.3)', consumes: ['multipart/form-data'], response: HtmlPage },
  }, async (req, reply) => {
    const { fields, file } = await readForm(req, app.files.limits.maxFileBytes);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const text = (fields.get('message') ?? '').trim();
    if (!text || text.length > 5000) throw new AppError(400, 'invalid_request', 'message');
    const clean = file && cleanReceivedFile(file.bytes, file.type, file.name, stripImageMetadata);
    if (file && !clean) throw new AppError(415, 'file_type_not_allowed', 'file');
    await replyAsServer(app.db, app.state, app.files, fields.get('session') ?? '', text, clean || null, app.config.smtpUrl !== null);
    return page(req, reply, locale, <PlainSent t={locale.t} lang={locale.code} />);
  });

  app.post('/follow-up/file', {
    ...common,
    schema: { summary: 'A file of a message, decrypted by the server for a browser without JavaScript (PROTOCOL.md §26.2)', consumes: ['multipart/form-data'], response: { ...HtmlPage, 200: { description: 'The file, as a download', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } } },
  }, async (req, reply) => {
    const { fields } = await readForm(req);
    const locale = localeFor(app, req, reply, fields.get('lang'));
    const found = await fileByToken(app.db, app.state, app.files, fields.get('token') ?? '');
    if (!found) return page(req, reply, locale, <><h1>{locale.t('errors:form_expired')}</h1><p><a href={`/follow-up?lang=${locale.code}`}>{locale.t('evidence:plain.again')}</a></p></>, 400);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(found.name)}`)
      .send(Readable.from(Buffer.from(found.bytes)));
  });
}
