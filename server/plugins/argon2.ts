// The app's Argon2id worker pool (services/argon2-pool.ts), sized by SEAL_WORKERS and SEAL_QUEUE,
// stopped when the app closes.
import fp from 'fastify-plugin';
import { Argon2Pool } from '../services/argon2-pool.ts';

declare module 'fastify' {
  interface FastifyInstance { argon2: Argon2Pool }
}

export default fp(async function argon2(app) {
  const pool = new Argon2Pool(app.config.sealWorkers, app.config.sealQueue);
  app.decorate('argon2', pool);
  app.addHook('onClose', async () => pool.close());
}, { name: 'argon2' });
