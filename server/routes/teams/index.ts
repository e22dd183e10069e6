// Teams, members, grants, key rotation, routing rules, accounts and the audit log: the admin's
// side of the desk. Granting is open to any member who holds the team key (their browser seals it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import {
  AddMember, AuditEntry, AuditQuery, CreateTeam, EditRouting, GrantBody, KeyRotated, MemberParams, RotateKey, RoutingTable,
  TeamParams, TeamView, UserSummary,
} from '../../../protocol/desk-api.ts';
import { Created } from '../../../protocol/schema-kit.ts';
import { ADMINS, CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { listUsers } from '../../services/accounts.ts';
import { listAudit } from '../../services/audit.ts';
import { currentRouting, replaceRouting } from '../../services/routing-rules.ts';
import { addGrant, addMember, createTeam, removeMember, rotateKey, teamsVisibleTo } from '../../services/teams.ts';

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

  app.get('/api/users', { config: admin, schema: { response: { 200: Type.Array(UserSummary), ...errors } } },
    async () => listUsers(app.db));

  app.get('/api/audit', { config: admin, schema: { querystring: AuditQuery, response: { 200: Type.Array(AuditEntry), ...errors } } },
    async (req) => listAudit(app.db, req.query.before ? Number(req.query.before) : undefined));
};
export default teamRoutes;
