// Liveness for operators and load balancers; says whether setup is done, nothing more.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../../../protocol/api.ts';
import { getOrganisation } from '../../services/organisation.ts';
import { PUBLIC } from '../../plugins/auth.ts';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health } }, config: { ...PUBLIC, rateLimit: false } },
    async () => ({ status: 'ok' as const, open: Boolean(getOrganisation(app.db)) }));
  // Browsers ask for an icon on their own; the form has none (no images), so say so cheaply.
  app.get('/favicon.ico', { config: PUBLIC, schema: { hide: true } }, async (_req, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=604800').send());
};
export default health;
