// Teams, members, grants, key rotation, routing rules, accounts and the audit log: the admin's
// side of the desk. Granting is open to any member who holds the team key (their browser seals it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { desc, lt } from 'drizzle-orm';
import { auditLog, users } from '../../../db/schema.ts';
import { ApiError } from '../../../protocol/api.ts';
import { GrantBody } from '../../../protocol/desk-api.ts';
import { requireDesk } from '../../plugins/auth.ts';
import { routingTable } from '../../services/organisation.ts';
import { replaceRouting } from '../../services/routing-rules.ts';
import { addGrant, addMember, createTeam, listTeams, removeMember, rotateKey } from '../../services/teams.ts';

const closed = { additionalProperties: false } as const;
const B64 = Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 120 });
const TeamParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const MemberParams = Type.Object({ id: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) });
const responses = { 200: Type.Unknown(), 201: Type.Unknown(), '4xx': ApiError };
const StringList = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 300 });

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = requireDesk(['admin']);
  const members = requireDesk(['admin', 'caseworker']);

  app.get('/api/teams', { preHandler: members, schema: { response: responses } }, async (req) => {
    const all = listTeams(app.db, req.user!.id);
    return req.user!.role === 'admin' ? all : all.filter((t) => t.members.some((m) => m.id === req.user!.id));
  });

  app.post('/api/teams', {
    preHandler: admin,
    schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), restricted: Type.Boolean(), publicKey: B64, creatorGrant: B64, recoveryGrant: B64 }, closed), response: responses },
  }, async (req, reply) => reply.code(201).send(await createTeam(app.db, req.user!.id, req.body)));

  app.post('/api/teams/:id/members', { preHandler: admin, schema: { params: TeamParams, body: Type.Object({ userId: Type.String({ maxLength: 64 }) }, closed), response: responses } },
    async (req, reply) => { addMember(app.db, req.user!.id, req.params.id, req.body.userId); return reply.code(204).send(); });

  app.delete('/api/teams/:id/members/:userId', { preHandler: admin, schema: { params: MemberParams, response: responses } },
    async (req, reply) => { removeMember(app.db, req.user!.id, req.params.id, req.params.userId); return reply.code(204).send(); });

  app.post('/api/teams/:id/grants', { preHandler: members, schema: { params: TeamParams, body: GrantBody, response: responses } },
    async (req, reply) => { addGrant(app.db, req.user!.id, req.params.id, req.body); return reply.code(204).send(); });

  app.post('/api/teams/:id/keys', {
    preHandler: admin,
    schema: {
      params: TeamParams,
      body: Type.Object({ publicKey: B64, grants: Type.Array(Type.Object({ userId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]), sealedPrivateKey: B64 }, closed), { minItems: 1, maxItems: 500 }) }, closed),
      response: responses,
    },
  }, async (req, reply) => reply.code(201).send(await rotateKey(app.db, req.user!.id, req.params.id, req.body)));

  app.get('/api/routing', { preHandler: admin, schema: { response: responses } }, async () => routingTable(app.db));

  app.put('/api/routing', {
    preHandler: admin,
    schema: {
      body: Type.Object({
        defaultTeam: Type.String({ maxLength: 64 }),
        rules: Type.Array(Type.Object({
          team: Type.String({ maxLength: 64 }), categories: Type.Optional(StringList), countries: Type.Optional(StringList),
          languages: Type.Optional(StringList), urgent: Type.Optional(Type.Boolean()),
        }, closed), { maxItems: 200 }),
      }, closed),
      response: responses,
    },
  }, async (req) => { replaceRouting(app.db, req.user!.id, req.body); return routingTable(app.db); });

  app.get('/api/users', { preHandler: admin, schema: { response: responses } }, async () =>
    app.db.select({ id: users.id, email: users.email, role: users.role, publicKey: users.publicKey, createdAt: users.createdAt, enrolled: users.totpSecret })
      .from(users).all().map((u) => ({ ...u, enrolled: Boolean(u.enrolled) })));

  app.get('/api/audit', {
    preHandler: admin,
    schema: { querystring: Type.Object({ before: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })) }, closed), response: responses },
  }, async (req) => {
    const before = req.query.before ? Number(req.query.before) : undefined;
    const query = app.db.select().from(auditLog);
    return (before ? query.where(lt(auditLog.seq, before)) : query).orderBy(desc(auditLog.seq)).limit(100).all()
      .map((e) => ({ ...e, detail: JSON.parse(e.detail) }));
  });
};
export default teamRoutes;
