// Rate limits that keep nothing identifying: counters live in this app's memory only (the
// plugin's own LRU store), keyed by an HMAC of the client (its address, or its IPv6 /64) under a
// random key that exists only in this app instance (app.state.keys.clientAddress) and is never
// written.
import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../errors.ts';
import { clientKey } from '../services/client-address.ts';

export function anonymousClientKey(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(ip).digest('base64url').slice(0, 22);
}

export default fp(async function rateLimits(app) {
  await app.register(rateLimit, {
    global: true,
    max: app.config.clientRateLimit,
    timeWindow: '1 minute',
    keyGenerator: (req) => anonymousClientKey(app.state.keys.clientAddress, clientKey(req.ip)),
    errorResponseBuilder: () => new AppError(429, 'rate_limited'),
  });
}, { name: 'rate-limit', dependencies: ['state'] });
