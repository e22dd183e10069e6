// tus 1.0.0 (core, creation, termination, expiration) for encrypted files, PROTOCOL.md §24: any tus
// client can upload here. Each route is its headers and one call into services/uploads.ts; errors
// are the API's JSON errors, and every answer says Tus-Resumable.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { TUS_VERSION, UPLOADS_PATH } from '../../../protocol/evidence-api.ts';
import { AppError } from '../../errors.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { anonymousClientKey } from '../../plugins/rate-limit.ts';
import { appendToUpload, createUpload, deleteUpload, metadataId, uploadStatus } from '../../services/uploads.ts';

const OFFSET_TYPE = 'application/offset+octet-stream';
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const NoBody = (description: string) => ({ description, type: 'null' });
const errors = { '4xx': ApiError };

const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The body of a PATCH is streamed to disk as it arrives, never buffered (and never JSON-parsed).
  app.addContentTypeParser(OFFSET_TYPE, (_req, payload, done) => done(null, payload));
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'OPTIONS' && req.headers['tus-resumable'] !== TUS_VERSION) {
      reply.header('tus-version', TUS_VERSION);
      throw new AppError(412, 'tus_version');
    }
  });
  app.addHook('onSend', async (_req, reply) => { reply.header('tus-resumable', TUS_VERSION); });
  const expires = () => new Date(Date.now() + app.files.limits.expiryMs).toUTCString();
  const frequent = { ...PUBLIC, rateLimit: { max: 600, timeWindow: '1 minute' } };

  app.options(UPLOADS_PATH, { config: PUBLIC, schema: { summary: 'tus capabilities', response: { 204: NoBody('Tus-Version, Tus-Extension, Tus-Max-Size') } } },
    async (_req, reply) => reply.code(204).headers({
      'tus-version': TUS_VERSION, 'tus-extension': 'creation,termination,expiration', 'tus-max-size': String(app.files.limits.maxFileBytes),
    }).send());

  app.post(UPLOADS_PATH, {
    config: { ...PUBLIC, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      summary: 'Create an upload of an encrypted file (tus creation)',
      headers: Type.Object({ 'upload-length': Type.String({ pattern: '^[1-9][0-9]{0,14}$' }), 'upload-metadata': Type.Optional(Type.String({ maxLength: 1024 })) }),
      response: {
        201: { ...NoBody('Created: the answer is its headers'), headers: { location: Type.String({ description: 'The upload: /api/uploads/<id>' }), 'upload-expires': Type.String() } },
        ...errors,
      },
    },
  }, async (req, reply) => {
    const client = anonymousClientKey(app.state.keys.clientAddress, req.ip);
    const id = await createUpload(app.db, app.files, app.state.uploads, client, Number(req.headers['upload-length']), metadataId(req.headers['upload-metadata']));
    return reply.code(201).headers({ location: `${UPLOADS_PATH}/${id}`, 'upload-expires': expires() }).send();
  });

  app.head(`${UPLOADS_PATH}/:id`, { config: frequent, schema: { summary: 'Where to resume (tus)', params: Params, response: { 200: NoBody('Upload-Offset, Upload-Length'), ...errors } } },
    async (req, reply) => {
      const { offset, length } = await uploadStatus(app.db, app.files, req.params.id);
      return reply.headers({ 'upload-offset': String(offset), 'upload-length': String(length), 'cache-control': 'no-store' }).send();
    });

  app.patch(`${UPLOADS_PATH}/:id`, {
    config: frequent,
    schema: {
      summary: 'Append bytes at Upload-Offset (tus)', params: Params, consumes: [OFFSET_TYPE],
      headers: Type.Object({ 'upload-offset': Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$' }) }),
      response: { 204: NoBody('Upload-Offset: the new offset'), ...errors },
    },
    // Before any parser runs: a JSON or text body must not be parsed, let alone appended.
    onRequest: async (req) => {
      if (req.headers['content-type'] !== OFFSET_TYPE) throw new AppError(415, 'unsupported_media_type');
    },
  }, async (req, reply) => {
    const declared = req.headers['content-length'];
    const offset = await appendToUpload(app.db, app.files, app.state.uploads, req.params.id, Number(req.headers['upload-offset']),
      declared === undefined ? undefined : Number(declared), req.body as Readable);
    return reply.code(204).headers({ 'upload-offset': String(offset), 'upload-expires': expires() }).send();
  });

  app.delete(`${UPLOADS_PATH}/:id`, { config: PUBLIC, schema: { summary: 'Abandon an upload (tus termination)', params: Params, response: { 204: NoBody('Removed'), ...errors } } },
    async (req, reply) => {
      await deleteUpload(app.db, app.files, req.params.id);
      return reply.code(204).send();
    });
};
export default uploadRoutes;
