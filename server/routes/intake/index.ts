// GET /api/intake: everything a phone needs to seal a report (keys, routing, taxonomy, limits).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, Intake } from '../../../protocol/api.ts';
import { notOpen } from '../../errors.ts';
import { buildIntake } from '../../services/organisation.ts';
import { PUBLIC } from '../../plugins/auth.ts';

const intake: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/intake', {
    config: PUBLIC,
    schema: { summary: 'Public keys, routing, taxonomy and limits for sealing a report', response: { 200: Intake, 503: ApiError } },
  }, async () => {
    const document = buildIntake(app.db);
    if (!document) throw notOpen();
    return document;
  });
};
export default intake;
