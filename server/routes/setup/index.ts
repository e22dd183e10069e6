// Browser setup: POST /api/setup with the one-time token and the bundle the admin's browser made
// (protocol/setup.ts). Same result as `cli setup`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { AppError } from '../../errors.ts';
import { getOrganisation } from '../../services/organisation.ts';
import { storeSetup, validateSetupBundle } from '../../services/setup.ts';
import { consumeSetupToken } from '../../services/setup-token.ts';

const B64 = Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 200 });
const closed = { additionalProperties: false } as const;
const SetupRequest = Type.Object({
  token: Type.String({ maxLength: 100 }),
  bundle: Type.Object({
    organisationName: Type.String({ minLength: 1, maxLength: 200 }),
    receiptSalt: B64,
    recovery: Type.Object({ publicKey: B64 }, closed),
    admin: Type.Object({
      email: Type.String({ maxLength: 254 }),
      kdf: Type.Object({ salt: B64, opslimit: Type.Integer({ minimum: 2, maximum: 10 }), memlimit: Type.Integer({ minimum: 16777216, maximum: 1073741824 }) }, closed),
      authKey: B64, publicKey: B64, wrappedPrivateKey: B64,
    }, closed),
    team: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), publicKey: B64, adminGrant: B64, recoveryGrant: B64 }, closed),
  }, closed),
}, closed);

const setup: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/setup', async () => ({ open: Boolean(getOrganisation(app.db)) }));

  app.post('/api/setup', {
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: SetupRequest, response: { 201: Type.Object({ ok: Type.Boolean() }), '4xx': ApiError } },
  }, async (req, reply) => {
    if (getOrganisation(app.db)) throw new AppError(409, 'already_set_up');
    // A bundle that would be refused must not use up the one-time token.
    validateSetupBundle(req.body.bundle);
    if (!consumeSetupToken(req.body.token)) throw new AppError(403, 'setup_token_invalid');
    await storeSetup(app.db, req.body.bundle);
    return reply.code(201).send({ ok: true });
  });
};
export default setup;
