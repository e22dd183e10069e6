// GET /api/intake: everything a phone needs to seal a report (keys, routing, taxonomy, limits).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, Intake } from '../../../protocol/api.ts';
import { publishedIntake } from '../../services/intake.ts';
import { PUBLIC } from '../../plugins/auth.ts';

const intake: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/intake', {
    config: PUBLIC,
    schema: { summary: 'Public keys, routing, taxonomy and limits for sealing a report', response: { 200: Intake, 503: ApiError } },
  }, async () => publishedIntake(app.db, app.files));
};
export default intake;
