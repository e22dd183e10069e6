// What the plugins add to the Fastify instance, for the type checker.
import type { Db } from '../db/index.ts';
import type { Config } from './config.ts';
import type { Locales } from './i18n.ts';
import type { Assets } from './render.tsx';
import type { AppState } from './state.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    locales: Locales;
    assets: Assets;
    state: AppState;
  }
}
