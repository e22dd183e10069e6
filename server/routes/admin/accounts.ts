// Account management for admins (PROTOCOL.md §31): the account list, pending invitations and reset
// links, revoking one, disabling and re-enabling an account, and issuing a reset link.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { Disabled, InvitationCreated, PendingInvitation, UserParams, UserSummary } from '../../../protocol/accounts-api.ts';
import { ADMINS, caller, desk } from '../../plugins/auth.ts';
import { disableUser, enableUser, issueReset, listUsers } from '../../services/account-admin.ts';
import { pendingInvitations, revokeInvitation } from '../../services/invitations.ts';

const errors = { '4xx': ApiError };
const NoContent = { 204: Type.Null({ description: 'Done' }), ...errors };

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = desk(ADMINS);

  app.get('/api/users', { config: admin, schema: { response: { 200: Type.Array(UserSummary), ...errors } } },
    async () => listUsers(app.db));

  app.post('/api/users/:id/disable', { config: admin, schema: { params: UserParams, response: { 200: Disabled, ...errors } } },
    async (req) => disableUser(app.db, caller(req).id, req.params.id));

  app.post('/api/users/:id/enable', { config: admin, schema: { params: UserParams, response: NoContent } },
    async (req, reply) => { enableUser(app.db, caller(req).id, req.params.id); return reply.code(204).send(null); });

  app.post('/api/users/:id/reset', { config: admin, schema: { params: UserParams, response: { 201: InvitationCreated, ...errors } } },
    async (req, reply) => reply.code(201).send(await issueReset(app.db, caller(req).id, req.params.id)));

  app.get('/api/invitations', { config: admin, schema: { response: { 200: Type.Array(PendingInvitation), ...errors } } },
    async () => pendingInvitations(app.db));

  app.delete('/api/invitations/:id', { config: admin, schema: { params: UserParams, response: NoContent } },
    async (req, reply) => { revokeInvitation(app.db, caller(req).id, req.params.id); return reply.code(204).send(null); });
};
export default accountRoutes;
