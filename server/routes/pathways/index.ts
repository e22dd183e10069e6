// The remedy-pathway directory at the desk: everyone signed in may read it; admins add and edit
// entries (retiring one keeps it for the referrals that point at it). Plus the two settings
// routes that sit beside it: my notification mails, and a team's retention and grace periods.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { TeamParams } from '../../../protocol/desk-api.ts';
import { EditPathway, NotifySettings, PathwayEntry, PathwayParams, PathwayView, TeamSettings } from '../../../protocol/remedy-api.ts';
import { ADMINS, ALL_ROLES, caller, desk } from '../../plugins/auth.ts';
import { createPathway, editPathway, listPathways } from '../../services/pathways.ts';
import { setNotifySettings, setTeamSettings } from '../../services/settings.ts';

const pathwayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ApiError };

  app.get('/api/pathways', { config: desk(ALL_ROLES), schema: { response: { 200: Type.Array(PathwayView), ...errors } } },
    async () => listPathways(app.db));

  app.post('/api/pathways', { config: desk(ADMINS), schema: { body: PathwayEntry, response: { 201: PathwayView, ...errors } } },
    async (req, reply) => reply.code(201).send(createPathway(app.db, caller(req).id, req.body)));

  app.put('/api/pathways/:id', { config: desk(ADMINS), schema: { params: PathwayParams, body: EditPathway, response: { 200: PathwayView, ...errors } } },
    async (req) => editPathway(app.db, caller(req).id, req.params.id, req.body));

  app.put('/api/me/notifications', { config: desk(ALL_ROLES), schema: { body: NotifySettings, response: { 200: NotifySettings, ...errors } } },
    async (req) => setNotifySettings(app.db, caller(req).id, req.body));

  app.put('/api/teams/:id/settings', { config: desk(ADMINS), schema: { params: TeamParams, body: TeamSettings, response: { 200: TeamSettings, ...errors } } },
    async (req) => setTeamSettings(app.db, caller(req).id, req.params.id, req.body));
};
export default pathwayRoutes;
