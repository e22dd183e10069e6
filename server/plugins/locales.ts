// Loads every locale once at start and makes them available as app.locales.
import fp from 'fastify-plugin';
import { Locales } from '../i18n.ts';

export default fp(async function locales(app) {
  app.decorate('locales', new Locales());
}, { name: 'locales' });
