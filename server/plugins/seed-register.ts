// On first start, the register of AI deployments is seeded from db/seed/deployments.json (once).
import fp from 'fastify-plugin';
import { seedRegisterOnce } from '../services/register.ts';

export default fp(async function seedRegister(app) {
  seedRegisterOnce(app.db);
}, { name: 'seed-register', dependencies: ['db'] });
