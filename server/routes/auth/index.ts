// Desk sign-in: prelogin (KDF parameters), login (auth key + TOTP), TOTP enrolment on first
// sign-in, who am I, and sign-out (here or everywhere). Sessions rotate at every sign-in.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/index.ts';
import { teamMembers, teams } from '../../../db/schema.ts';
import { KdfParamsSchema, Login, LoginResult, Me, Prelogin, TotpCode } from '../../../protocol/desk-api.ts';
import { ApiError } from '../../../protocol/api.ts';
import { AppError } from '../../errors.ts';
import { ALL_ROLES, readCookie, requireDesk, sessionCookieName, setSessionCookie } from '../../plugins/auth.ts';
import {
  acceptTotp, beginTotpEnrolment, checkThrottle, clearFailures, findUser, prelogin, recordFailure, verifyAuthKey, type User,
} from '../../services/accounts.ts';
import { appendAudit } from '../../services/audit.ts';
import { createSession, destroySession, destroyUserSessions, type Session } from '../../services/sessions.ts';
import { otpauthUri } from '../../services/totp.ts';
import { getOrganisation } from '../../services/organisation.ts';

export function describeMe(db: Db, user: User, session: Session) {
  const myTeams = db.select({ id: teams.id, name: teams.name, restricted: teams.restricted })
    .from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teamMembers.userId, user.id)).all();
  return {
    id: user.id, email: user.email, role: user.role, publicKey: user.publicKey, wrappedPrivateKey: user.wrappedPrivateKey,
    csrfToken: session.csrfToken, teams: myTeams,
  };
}

const auth: FastifyPluginAsyncTypebox = async (app) => {
  const cookie = sessionCookieName(app.config.tls);
  const errors = { '4xx': ApiError };

  function startSession(reply: FastifyReply, previous: string | undefined, user: User, stage: Session['stage']) {
    if (previous) destroySession(app.db, previous); // rotate: never reuse a session id across sign-ins
    const { id, session } = createSession(app.db, user.id, stage);
    setSessionCookie(reply, app.config.tls, id);
    return session;
  }

  app.post('/api/auth/prelogin', { schema: { body: Prelogin, response: { 200: KdfParamsSchema, ...errors } } },
    async (req) => prelogin(app.db, req.body.email));

  app.post('/api/auth/login', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { body: Login, response: { 200: LoginResult, ...errors } },
  }, async (req, reply) => {
    const { email, authKey, totp } = req.body;
    checkThrottle(email);
    const user = await verifyAuthKey(app.db, email, authKey);
    const now = new Date().toISOString();
    if (!user) {
      recordFailure(email);
      // A wrong password for a real account is audited (the log is admins' only); unknown emails are not.
      const known = findUser(app.db, email);
      if (known) appendAudit(app.db, { at: now, actor: known.id, action: 'auth.failed', subject: known.id, detail: { reason: 'password' } });
      throw new AppError(401, 'invalid_credentials');
    }
    if (!user.totpSecret) {
      const session = startSession(reply, readCookie(req, cookie), user, 'totp_enrol');
      const secret = beginTotpEnrolment(app.db, user);
      const issuer = `Redress (${getOrganisation(app.db)?.name ?? 'desk'})`;
      const uri = otpauthUri(secret, user.email, issuer);
      // The QR code is drawn here as SVG markup, so the desk needs no QR library and no image URL.
      const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { next: 'enrol_totp' as const, totpSecret: secret, otpauthUri: uri, qrSvg, csrfToken: session.csrfToken };
    }
    if (!totp) throw new AppError(401, 'totp_required');
    if (!acceptTotp(app.db, user, totp.trim(), false)) {
      recordFailure(email);
      appendAudit(app.db, { at: now, actor: user.id, action: 'auth.failed', subject: user.id, detail: { reason: 'totp' } });
      throw new AppError(401, 'invalid_totp');
    }
    clearFailures(email);
    const session = startSession(reply, readCookie(req, cookie), user, 'full');
    appendAudit(app.db, { at: now, actor: user.id, action: 'auth.signed_in', subject: user.id });
    return { next: 'done' as const, me: describeMe(app.db, user, session) };
  });

  app.post('/api/auth/totp/enrol', {
    preHandler: requireDesk(ALL_ROLES, 'totp_enrol'),
    schema: { body: TotpCode, response: { 200: LoginResult, ...errors } },
  }, async (req, reply) => {
    const user = req.user!;
    if (!acceptTotp(app.db, user, req.body.code.trim(), true)) throw new AppError(401, 'invalid_totp');
    const session = startSession(reply, readCookie(req, cookie), user, 'full');
    const now = new Date().toISOString();
    appendAudit(app.db, { at: now, actor: user.id, action: 'auth.totp_enrolled', subject: user.id });
    appendAudit(app.db, { at: now, actor: user.id, action: 'auth.signed_in', subject: user.id });
    return { next: 'done' as const, me: describeMe(app.db, user, session) };
  });

  app.get('/api/me', { preHandler: requireDesk(ALL_ROLES), schema: { response: { 200: Me, ...errors } } },
    async (req) => describeMe(app.db, req.user!, req.session!));

  app.post('/api/auth/logout', { preHandler: requireDesk(ALL_ROLES) }, async (req, reply) => {
    destroySession(app.db, readCookie(req, cookie)!);
    setSessionCookie(reply, app.config.tls, null);
    return reply.code(204).send();
  });

  app.post('/api/auth/logout-everywhere', { preHandler: requireDesk(ALL_ROLES) }, async (req, reply) => {
    destroyUserSessions(app.db, req.user!.id);
    appendAudit(app.db, { at: new Date().toISOString(), actor: req.user!.id, action: 'auth.signed_out_everywhere', subject: req.user!.id });
    setSessionCookie(reply, app.config.tls, null);
    return reply.code(204).send();
  });
};
export default auth;
