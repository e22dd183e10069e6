// Gives the app its own state (counters, short sessions, tokens, per-process keys): app.state.
import fp from 'fastify-plugin';
import { createAppState } from '../state.ts';

export default fp(async function state(app) {
  app.decorate('state', createAppState());
}, { name: 'state' });
