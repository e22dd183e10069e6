// Browser setup: POST /api/setup with the one-time token and the bundle the admin's browser made
// (protocol/setup.ts). Same result as `cli setup`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, SetupDone, SetupRequest, SetupState } from '../../../protocol/api.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { getOrganisation } from '../../services/organisation.ts';
import { setUpWithToken } from '../../services/setup.ts';

const setup: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/setup', { config: PUBLIC, schema: { response: { 200: SetupState } } },
    async () => ({ open: Boolean(getOrganisation(app.db)) }));

  app.post('/api/setup', {
    config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { body: SetupRequest, response: { 201: SetupDone, '4xx': ApiError } },
  }, async (req, reply) => {
    await setUpWithToken(app.db, app.state, req.body);
    return reply.code(201).send({ ok: true as const });
  });
};
export default setup;
