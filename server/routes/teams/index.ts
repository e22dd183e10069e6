// Teams, members, grants, key rotation, verify keys and routing rules: the admin's side of the
// desk (accounts and the audit log are in routes/admin). Granting and publishing a verify key are
// open to any member who holds the team key (their browser seals or derives it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import {
  AddMember, CreateTeam, EditRouting, GrantBody, KeyParams, KeyRotated, MemberParams, PublishVerifyKey, RotateKey, RoutingTable,
  TeamParams, TeamView,
} from '../../../protocol/desk-api.ts';
import { Created } from '../../../protocol/schema-kit.ts';
import { ADMINS, CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { currentRouting, replaceRouting } from '../../services/routing-rules.ts';
import { addGrant, addMember, createTeam, publishVerifyKey, removeMember, rotateKey, teamsVisibleTo } from '../../services/teams.ts';

const errors = { '4xx': ApiError };
const NoContent = { 204: Type.Null({ description: 'Done' }), ...errors };

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = desk(ADMINS);
  const members = desk(CASE_HANDLERS);

  app.get('/api/teams', { config: members, schema: { response: { 200: Type.Array(TeamView), ...errors } } },
    async (req) => teamsVisibleTo(app.db, caller(req)));

  app.post('/api/teams', { config: admin, schema: { body: CreateTeam, response: { 201: Created, ...errors } } },
    async (req, reply) => reply.code(201).send(await createTeam(app.db, caller(req).id, req.body)));

  app.post('/api/teams/:id/members', { config: admin, schema: { params: TeamParams, body: AddMember, response: NoContent } },
    async (req, reply) => { addMember(app.db, caller(req).id, req.params.id, req.body.userId); return reply.code(204).send(null); });

  app.delete('/api/teams/:id/members/:userId', { config: admin, schema: { params: MemberParams, response: NoContent } },
    async (req, reply) => { removeMember(app.db, caller(req).id, req.params.id, req.params.userId); return reply.code(204).send(null); });

  app.post('/api/teams/:id/grants', { config: members, schema: { params: TeamParams, body: GrantBody, response: NoContent } },
    async (req, reply) => { addGrant(app.db, caller(req).id, req.params.id, req.body); return reply.code(204).send(null); });

  app.post('/api/teams/:id/keys', { config: admin, schema: { params: TeamParams, body: RotateKey, response: { 201: KeyRotated, ...errors } } },
    async (req, reply) => reply.code(201).send(await rotateKey(app.db, caller(req).id, req.params.id, req.body)));

  app.get('/api/routing', { config: admin, schema: { response: { 200: RoutingTable, ...errors } } },
    async () => currentRouting(app.db));

  app.put('/api/routing', { config: admin, schema: { body: EditRouting, response: { 200: RoutingTable, ...errors } } },
    async (req) => replaceRouting(app.db, caller(req).id, req.body));

  app.put('/api/teams/:id/keys/:kid/verify-key', { config: members, schema: { params: KeyParams, body: PublishVerifyKey, response: NoContent } },
    async (req, reply) => { await publishVerifyKey(app.db, caller(req).id, req.params.id, req.params.kid, req.body); return reply.code(204).send(null); });
};
export default teamRoutes;
