// Follow-up by receipt: the public page (/follow-up) and its API. The phone sends an auth token
// derived from the receipt, never the receipt; sessions are short and live in the app's memory.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, FollowUpOpen, FollowUpOpened, MessageBody, ReporterView } from '../../../protocol/api.ts';
import { Created } from '../../../protocol/schema-kit.ts';
import { FollowUpIntro } from '../../../ui/report/FollowUp.tsx';
import { Layout } from '../../../ui/report/Layout.tsx';
import { PUBLIC } from '../../plugins/auth.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { addMessage, endFollowUp, followUpCase, openFollowUp, reporterView } from '../../services/follow-up.ts';
import { buildIntake } from '../../services/organisation.ts';
import { HtmlPage, frameOf, localeFor, reportBoot, sendNotOpen } from '../pages/page-kit.tsx';

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
const errors = { '4xx': ApiError };

const followUp: FastifyPluginAsyncTypebox = async (app) => {
  const sessions = app.state.followUpSessions;

  app.post('/api/follow-up/open', {
    // Receipts are 66 bits behind Argon2id; this limit only keeps floods cheap.
    config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: FollowUpOpen, response: { 200: FollowUpOpened, ...errors } },
  }, async (req) => {
    const token = await openFollowUp(app.db, sessions, req.body.authToken);
    return { token, case: reporterView(app.db, followUpCase(sessions, token)) };
  });

  app.get('/api/follow-up', { config: PUBLIC, schema: { response: { 200: ReporterView, ...errors } } },
    async (req) => reporterView(app.db, followUpCase(sessions, bearer(req.headers.authorization))));

  app.post('/api/follow-up/messages', {
    bodyLimit: 64 * 1024,
    config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: MessageBody, response: { 201: Created, ...errors } },
  }, async (req, reply) => {
    const caseId = followUpCase(sessions, bearer(req.headers.authorization));
    return reply.code(201).send(await addMessage(app.db, caseId, 'from_reporter', req.body.envelope, null, { notify: app.config.smtpUrl !== null }));
  });

  app.post('/api/follow-up/close', { config: PUBLIC, schema: { response: { 204: Type.Null({ description: 'Session ended' }) } } },
    async (req, reply) => {
      endFollowUp(sessions, bearer(req.headers.authorization));
      return reply.code(204).send(null);
    });

  app.get('/follow-up', { config: PUBLIC, schema: { response: HtmlPage } }, async (req, reply) => {
    const locale = localeFor(app, req, reply);
    const intake = buildIntake(app.db);
    if (!intake) return sendNotOpen(app, req, reply, locale);
    const body = <Layout {...frameOf(app, locale)} path="/follow-up"><FollowUpIntro t={locale.t} /></Layout>;
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body, boot: reportBoot(app, locale, intake, 'follow-up') }));
  });
};
export default followUp;
