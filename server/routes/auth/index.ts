// Desk sign-in: prelogin (KDF parameters), login (auth key + TOTP), TOTP enrolment on first
// sign-in, who am I, and sign-out (here or everywhere). The logic is in services/sign-in.ts;
// these routes move the session cookie.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { KdfParamsSchema, Login, LoginResult, Me, Prelogin, TotpCode } from '../../../protocol/desk-api.ts';
import { ALL_ROLES, PUBLIC, caller, currentSession, desk, readCookie, sessionCookieName, setSessionCookie } from '../../plugins/auth.ts';
import { prelogin } from '../../services/accounts.ts';
import { describeMe, enrolTotp, login, signOut, signOutEverywhere } from '../../services/sign-in.ts';

const auth: FastifyPluginAsyncTypebox = async (app) => {
  const cookie = sessionCookieName(app.config.tls);
  const errors = { '4xx': ApiError };
  const signedOut = { 204: Type.Null({ description: 'Signed out; the cookie is cleared' }), ...errors };

  app.post('/api/auth/prelogin', { config: PUBLIC, schema: { body: Prelogin, response: { 200: KdfParamsSchema, ...errors } } },
    async (req) => prelogin(app.db, req.body.email));

  app.post('/api/auth/login', {
    config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { body: Login, response: { 200: LoginResult, ...errors } },
  }, async (req, reply) => {
    const step = await login(app.db, app.state, req.body, readCookie(req, cookie));
    setSessionCookie(reply, app.config.tls, step.sessionId);
    return step.result;
  });

  app.post('/api/auth/totp/enrol', { config: desk(ALL_ROLES, 'totp_enrol'), schema: { body: TotpCode, response: { 200: LoginResult, ...errors } } },
    async (req, reply) => {
      const step = enrolTotp(app.db, app.state.sessionActivity, caller(req), req.body.code, readCookie(req, cookie));
      setSessionCookie(reply, app.config.tls, step.sessionId);
      return step.result;
    });

  app.get('/api/me', { config: desk(ALL_ROLES), schema: { response: { 200: Me, ...errors } } },
    async (req) => describeMe(app.db, caller(req), currentSession(req)));

  app.post('/api/auth/logout', { config: desk(ALL_ROLES), schema: { response: signedOut } }, async (req, reply) => {
    signOut(app.db, readCookie(req, cookie)!);
    setSessionCookie(reply, app.config.tls, null);
    return reply.code(204).send(null);
  });

  app.post('/api/auth/logout-everywhere', { config: desk(ALL_ROLES), schema: { response: signedOut } }, async (req, reply) => {
    signOutEverywhere(app.db, caller(req));
    setSessionCookie(reply, app.config.tls, null);
    return reply.code(204).send(null);
  });
};
export default auth;
