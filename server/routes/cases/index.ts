// The desk's case routes: the queue, one case (ciphertext + the caller's sealed team key),
// status changes along the lifecycle, assignment, and notes sealed to the team key.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { and, asc, eq, sql } from 'drizzle-orm';
import { caseMessages, caseNotes, cases, teamKeys, teamMembers } from '../../../db/schema.ts';
import { ApiError } from '../../../protocol/api.ts';
import { Assign, ChangeStatus, MessageBody, NoteBody, QueueQuery } from '../../../protocol/desk-api.ts';
import { decodeEnvelope } from '../../../protocol/envelope.ts';
import { AppError } from '../../errors.ts';
import { requireDesk } from '../../plugins/auth.ts';
import { appendAudit } from '../../services/audit.ts';
import { caseForMember, grantFor } from '../../services/case-access.ts';
import { caseClearFields } from '../../services/cases.ts';
import { canMove } from '../../../protocol/lifecycle.ts';
import { queue } from '../../services/queue.ts';
import { addMessage, recordEvent } from '../../services/follow-up.ts';

const CaseParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const caseworkers = requireDesk(['admin', 'caseworker']);
  // Response bodies are documented here as free-form; their shapes live in the desk client.
  const errors = { 200: Type.Unknown(), 201: Type.Unknown(), '4xx': ApiError };
  const now = () => new Date().toISOString();

  app.get('/api/cases', { preHandler: caseworkers, schema: { querystring: QueueQuery, response: errors } },
    async (req) => queue(app.db, req.user!.id, req.query));

  app.get('/api/cases/:id', { preHandler: caseworkers, schema: { params: CaseParams, response: errors } }, async (req) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    const teamKey = app.db.select().from(teamKeys).where(eq(teamKeys.id, row.teamKeyId)).get()!;
    appendAudit(app.db, { at: now(), actor: req.user!.id, action: 'case.opened', subject: row.id });
    return {
      id: row.id, teamId: row.teamId, status: row.status, outcome: row.outcome, receivedOn: row.receivedOn,
      triageDue: row.triageDue, acknowledgeDue: row.acknowledgeDue, assigneeId: row.assigneeId, sealedBy: row.sealedBy,
      clear: caseClearFields(row),
      reporterPublicKey: row.reporterPublicKey,
      envelope: JSON.parse(row.envelope),
      teamKey: { kid: teamKey.kid, publicKey: teamKey.publicKey, grant: grantFor(app.db, row.teamKeyId, req.user!.id) },
    };
  });

  app.post('/api/cases/:id/status', { preHandler: caseworkers, schema: { params: CaseParams, body: ChangeStatus, response: errors } }, async (req) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    const { status, outcome } = req.body;
    if (!canMove(row.status, status)) throw new AppError(409, 'invalid_transition', 'status');
    if (status === 'closed' && !outcome) throw new AppError(400, 'outcome_required', 'outcome');
    if (status !== 'closed' && outcome) throw new AppError(400, 'invalid_request', 'outcome');
    app.db.transaction((tx) => {
      tx.update(cases).set({ status, outcome: status === 'closed' ? outcome! : null, updatedAt: now() }).where(eq(cases.id, row.id)).run();
      recordEvent(tx as never, row.id, status, outcome ?? null);
      appendAudit(tx as never, { at: now(), actor: req.user!.id, action: 'case.status_changed', subject: row.id, detail: { from: row.status, to: status, outcome: outcome ?? null } });
    });
    return { id: row.id, status, outcome: outcome ?? null };
  });

  app.post('/api/cases/:id/assign', { preHandler: caseworkers, schema: { params: CaseParams, body: Assign, response: errors } }, async (req) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    const { assigneeId } = req.body;
    if (assigneeId) {
      const member = app.db.select().from(teamMembers).where(and(eq(teamMembers.teamId, row.teamId), eq(teamMembers.userId, assigneeId))).get();
      if (!member) throw new AppError(400, 'not_team_member', 'assigneeId');
    }
    app.db.transaction((tx) => {
      tx.update(cases).set({ assigneeId, updatedAt: now() }).where(eq(cases.id, row.id)).run();
      appendAudit(tx as never, { at: now(), actor: req.user!.id, action: 'case.assigned', subject: row.id, detail: { assignee: assigneeId } });
    });
    return { id: row.id, assigneeId };
  });

  app.get('/api/cases/:id/messages', { preHandler: caseworkers, schema: { params: CaseParams, response: errors } }, async (req) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    // In the order written: reporters' messages carry only a day, so their time cannot order them.
    return app.db.select().from(caseMessages).where(eq(caseMessages.caseId, row.id)).orderBy(asc(sql`rowid`)).all()
      .map((m) => ({ id: m.id, direction: m.direction, authorId: m.authorId, createdAt: m.createdAt, envelope: JSON.parse(m.envelope) }));
  });

  app.post('/api/cases/:id/messages', { bodyLimit: 64 * 1024, preHandler: caseworkers, schema: { params: CaseParams, body: MessageBody, response: errors } }, async (req, reply) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    const created = await addMessage(app.db, row.id, 'to_reporter', req.body.envelope, req.user!.id);
    appendAudit(app.db, { at: now(), actor: req.user!.id, action: 'case.message_sent', subject: row.id });
    return reply.code(201).send(created);
  });

  app.get('/api/cases/:id/notes', { preHandler: caseworkers, schema: { params: CaseParams, response: errors } }, async (req) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    return app.db.select().from(caseNotes).where(eq(caseNotes.caseId, row.id)).orderBy(asc(caseNotes.createdAt)).all()
      .map((n) => ({ id: n.id, authorId: n.authorId, createdAt: n.createdAt, envelope: JSON.parse(n.envelope) }));
  });

  app.post('/api/cases/:id/notes', { preHandler: caseworkers, schema: { params: CaseParams, body: NoteBody, response: errors } }, async (req, reply) => {
    const row = caseForMember(app.db, req.params.id, req.user!.id);
    const teamKey = app.db.select().from(teamKeys).where(eq(teamKeys.id, row.teamKeyId)).get()!;
    const decoded = decodeEnvelope(req.body.envelope);
    if (!decoded) throw new AppError(400, 'bad_envelope', 'envelope');
    if (decoded.recipients[0]!.kid !== teamKey.kid) throw new AppError(422, 'wrong_recipients', 'envelope.recipients');
    const id = randomUUID();
    app.db.transaction((tx) => {
      tx.insert(caseNotes).values({ id, caseId: row.id, authorId: req.user!.id, createdAt: now(), envelope: JSON.stringify(req.body.envelope) }).run();
      appendAudit(tx as never, { at: now(), actor: req.user!.id, action: 'case.note_added', subject: row.id });
    });
    return reply.code(201).send({ id });
  });
};
export default caseRoutes;
