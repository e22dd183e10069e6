// GET /sw.js: the service worker (PROTOCOL.md §25.4), built by Vite into dist/client/sw.js, served
// at the root so its scope is the whole site, with this build's version and the public pages'
// files in front. Never cached without asking (browsers check it for updates); 304 when unchanged.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { compressOnce, sendCompressed } from '../../compress.ts';
import { AppError } from '../../errors.ts';
import { PUBLIC } from '../../plugins/auth.ts';

const serviceWorker: FastifyPluginAsync = async (app) => {
  const path = join(app.config.clientDir, 'sw.js');
  const code = existsSync(path) ? readFileSync(path, 'utf8') : null;
  const assets = app.assets.reachable('report');
  // Pages embed their texts: a change of any language's texts is a new version too.
  const version = createHash('sha256').update(JSON.stringify([code, assets, app.locales.urls(), app.locales.evidenceHash])).digest('base64url').slice(0, 16);
  const body = code === null ? null : compressOnce(`self.REDRESS=${JSON.stringify({ version, assets })};\n${code}`);
  const etag = `"${version}"`;

  app.get('/sw.js', {
    config: PUBLIC,
    schema: { summary: 'The service worker of the public pages', response: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } }, 304: { description: 'Unchanged since the ETag sent', type: 'null' } } },
  }, async (req, reply) => {
    if (!body) throw new AppError(404, 'not_found');
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return sendCompressed(req, reply, body, 'text/javascript; charset=utf-8');
  });
};
export default serviceWorker;
