// Invitations: admins create them (by email or as a bare link); the invitee inspects and accepts
// (public routes: the one-time token is the credential).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AcceptInvitation, ApiError, InvitationAccepted, InvitationInfo, InvitationToken } from '../../../protocol/api.ts';
import { CreateInvitation, InvitationCreated } from '../../../protocol/accounts-api.ts';
import { ADMINS, PUBLIC, caller, desk } from '../../plugins/auth.ts';
import { acceptInvitation, createInvitation, describeInvitation } from '../../services/invitations.ts';

const errors = { '4xx': ApiError };

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/invitations', { config: desk(ADMINS), schema: { body: CreateInvitation, response: { 201: InvitationCreated, ...errors } } },
    async (req, reply) => reply.code(201).send(createInvitation(app.db, caller(req).id, req.body)));

  // POST, not GET /:token, so the token stays out of URLs and logs.
  app.post('/api/invitations/inspect', {
    config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { body: InvitationToken, response: { 200: InvitationInfo, ...errors } },
  }, async (req) => describeInvitation(app.db, req.body.token));

  app.post('/api/invitations/accept', {
    config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: AcceptInvitation, response: { 201: InvitationAccepted, ...errors } },
  }, async (req, reply) => reply.code(201).send(await acceptInvitation(app.db, req.body)));
};
export default invitationRoutes;
