// Serves the built browser apps' hashed files, precompressed (brotli/gzip written at build time)
// and cached forever: a file's name changes whenever its content does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { loadAssets } from '../render.tsx';

export default fp(async function staticAssets(app) {
  const root = join(app.config.clientDir, 'assets');
  app.decorate('assets', loadAssets(app.config.clientDir));
  if (!existsSync(root)) {
    app.log.warn('no built client found; run `npm run build` to serve the browser app');
    return;
  }
  // Public files: the static plugin takes no route config, so its routes are marked here.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => { route.config = { ...route.config, access: 'public' }; });
    await scope.register(fastifyStatic, {
    root,
    prefix: '/assets/',
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    decorateReply: false,
    index: false,
    list: false,
    });
  });
}, { name: 'static-assets' });
