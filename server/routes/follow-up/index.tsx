// Follow-up by receipt: the public page (/follow-up) and its API. The phone sends an auth token
// derived from the receipt, never the receipt; sessions are short and in memory only.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { MessageBody } from '../../../protocol/desk-api.ts';
import { Layout } from '../../../ui/report/Layout.tsx';
import { FollowUpIntro } from '../../../ui/report/FollowUp.tsx';
import { renderPage, sendHtml } from '../../render.tsx';
import { addMessage, endFollowUp, followUpCase, openFollowUp, reporterView } from '../../services/follow-up.ts';
import { buildIntake } from '../../services/organisation.ts';
import { NotOpen } from '../pages/views.tsx';

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
const responses = { 200: Type.Unknown(), 201: Type.Unknown(), '4xx': ApiError };

const followUpApi: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/follow-up/open', {
    // Receipts are 66 bits behind Argon2id; this limit only keeps floods cheap.
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: Type.Object({ authToken: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }, { additionalProperties: false }), response: responses },
  }, async (req) => {
    const token = await openFollowUp(app.db, req.body.authToken);
    return { token, case: reporterView(app.db, followUpCase(token)) };
  });

  app.get('/api/follow-up', { schema: { response: responses } }, async (req) =>
    reporterView(app.db, followUpCase(bearer(req.headers.authorization))));

  app.post('/api/follow-up/messages', {
    bodyLimit: 64 * 1024,
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: MessageBody, response: responses },
  }, async (req, reply) => {
    const caseId = followUpCase(bearer(req.headers.authorization));
    return reply.code(201).send(await addMessage(app.db, caseId, 'from_reporter', req.body.envelope, null));
  });

  app.post('/api/follow-up/close', async (req, reply) => {
    endFollowUp(bearer(req.headers.authorization));
    return reply.code(204).send();
  });
};

export async function followUpPage(app: FastifyInstance) {
  app.get('/follow-up', async (req, reply) => {
    const locale = app.locales.get(app.locales.pick(req));
    const query = (req.query as { lang?: string }).lang;
    if (query && app.locales.has(query)) reply.header('set-cookie', `redress_lang=${query}; Path=/; Max-Age=31536000; SameSite=Strict${app.config.tls ? '; Secure' : ''}`);
    const intake = buildIntake(app.db);
    const frame = { t: locale.t, lang: locale.code, quickExitUrl: app.config.quickExitUrl, path: '/follow-up' };
    if (!intake) return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <NotOpen {...frame} /> }), 503);
    const body = <Layout {...frame}><FollowUpIntro t={locale.t} /></Layout>;
    const boot = {
      page: 'follow-up', lang: locale.code,
      resources: { report: locale.public.resources.report!, taxonomy: locale.public.resources.taxonomy! },
      intake: { routing: intake.routing, recovery: intake.recovery, receiptSalt: intake.receiptSalt },
      quickExitUrl: app.config.quickExitUrl, localeUrls: app.locales.urls(),
    };
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body, boot }));
  });
}

export default followUpApi;
