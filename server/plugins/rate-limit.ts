// Rate limits that keep nothing identifying: counters live in memory only, keyed by an HMAC of
// the client address under a random key that exists only in this process and is never written.
import { createHmac, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../errors.ts';

const processKey = randomBytes(32);

export function anonymousClientKey(ip: string): string {
  return createHmac('sha256', processKey).update(ip).digest('base64url').slice(0, 22);
}

export default fp(async function rateLimits(app) {
  await app.register(rateLimit, {
    global: true,
    max: 300,
    timeWindow: '1 minute',
    keyGenerator: (req) => anonymousClientKey(req.ip),
    errorResponseBuilder: () => new AppError(429, 'rate_limited'),
  });
}, { name: 'rate-limit' });
