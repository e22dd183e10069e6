// The desk's case routes: the queue, one case, lifecycle, assignment, messages and notes. Each is
// a schema from protocol/desk-api.ts and one call into services/case-actions.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, MessageBody } from '../../../protocol/api.ts';
import {
  Assign, Assigned, CaseDetail, CaseNote, CaseParams, ChangeStatus, DeskMessage, NoteBody, QueuePage, QueueQuery, StatusChanged,
} from '../../../protocol/desk-api.ts';
import { Created, Id } from '../../../protocol/schema-kit.ts';
import { Type } from 'typebox';
import { CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { addNote, assignCase, caseAttachmentPath, changeStatus, listMessages, listNotes, openCase, sendMessage } from '../../services/case-actions.ts';
import { EncryptedFile, sendEncryptedFile } from '../uploads/files.ts';

const AttachmentParams = Type.Object({ id: Id, uploadId: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
import { queue } from '../../services/queue.ts';

const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = desk(CASE_HANDLERS);
  const errors = { '4xx': ApiError };

  app.get('/api/cases', { config, schema: { querystring: QueueQuery, response: { 200: QueuePage, ...errors } } },
    async (req) => queue(app.db, caller(req).id, req.query));

  app.get('/api/cases/:id', { config, schema: { params: CaseParams, response: { 200: CaseDetail, ...errors } } },
    async (req) => openCase(app.db, req.params.id, caller(req).id));

  app.post('/api/cases/:id/status', { config, schema: { params: CaseParams, body: ChangeStatus, response: { 200: StatusChanged, ...errors } } },
    async (req) => changeStatus(app.db, req.params.id, caller(req).id, req.body));

  app.post('/api/cases/:id/assign', { config, schema: { params: CaseParams, body: Assign, response: { 200: Assigned, ...errors } } },
    async (req) => assignCase(app.db, req.params.id, caller(req).id, req.body.assigneeId));

  app.get('/api/cases/:id/messages', { config, schema: { params: CaseParams, response: { 200: Type.Array(DeskMessage), ...errors } } },
    async (req) => listMessages(app.db, req.params.id, caller(req).id));

  app.post('/api/cases/:id/messages', { bodyLimit: 64 * 1024, config, schema: { params: CaseParams, body: MessageBody, response: { 201: Created, ...errors } } },
    async (req, reply) => reply.code(201).send(await sendMessage(app.db, req.params.id, caller(req).id, req.body.envelope, req.body.attachments, app.files)));

  app.get('/api/cases/:id/attachments/:uploadId', {
    config,
    schema: { summary: 'An encrypted file of the case (PROTOCOL.md §24.8)', params: AttachmentParams, response: { 200: EncryptedFile, ...errors } },
  }, async (req, reply) => sendEncryptedFile(reply, caseAttachmentPath(app.db, app.files, req.params.id, caller(req).id, req.params.uploadId)));

  app.get('/api/cases/:id/notes', { config, schema: { params: CaseParams, response: { 200: Type.Array(CaseNote), ...errors } } },
    async (req) => listNotes(app.db, req.params.id, caller(req).id));

  app.post('/api/cases/:id/notes', { config, schema: { params: CaseParams, body: NoteBody, response: { 201: Created, ...errors } } },
    async (req, reply) => reply.code(201).send(addNote(app.db, req.params.id, caller(req).id, req.body.envelope)));
};
export default caseRoutes;
