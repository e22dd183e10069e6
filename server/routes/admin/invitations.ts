// Invitations: admins create them (by email or as a bare link); the invitee inspects and accepts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { AcceptInvitation, CreateInvitation } from '../../../protocol/desk-api.ts';
import { requireDesk } from '../../plugins/auth.ts';
import { acceptInvitation, createInvitation, describeInvitation } from '../../services/invitations.ts';

const TokenBody = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) }, { additionalProperties: false });
const responses = { 200: Type.Unknown(), 201: Type.Unknown(), '4xx': ApiError };

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/invitations', { preHandler: requireDesk(['admin']), schema: { body: CreateInvitation, response: responses } }, async (req, reply) => {
    const invitation = createInvitation(app.db, req.user!.id, req.body);
    // A fragment, not a query: the token never appears in a request line or a server log.
    return reply.code(201).send({ ...invitation, path: `/desk/invite#token=${invitation.token}` });
  });

  // POST, not GET /:token, so the token stays out of URLs and logs.
  app.post('/api/invitations/inspect', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { body: TokenBody, response: responses } },
    async (req) => describeInvitation(app.db, req.body.token));

  app.post('/api/invitations/accept', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { body: AcceptInvitation, response: responses } },
    async (req, reply) => reply.code(201).send(await acceptInvitation(app.db, req.body)));
};
export default invitationRoutes;
