// Statistics at the desk (analysts and admins): the publication the desk draws, exports as files,
// and the settings (the public page's switch is the admins'). Each route is a schema and one call
// into services/stats.ts; queries are validated there (attachValidation) so refusals are audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { EditStatsSettings, ExportQuery, Publication, StatsQuery, StatsSettings } from '../../../protocol/stats-api.ts';
import { ADMINS, caller, desk } from '../../plugins/auth.ts';
import { deskPublication, exportStats, setPublicPage, statsSettings } from '../../services/stats.ts';

export const STATS_ROLES = ['admin', 'analyst'] as const;

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ApiError };

  app.get('/api/stats', {
    config: desk(STATS_ROLES), attachValidation: true,
    schema: { summary: 'The fixed tables, disclosure-controlled', querystring: StatsQuery, response: { 200: Publication, ...errors } },
  }, async (req) => deskPublication(app.db, app.config, caller(req).id, req.query, req.validationError));

  app.get('/api/stats/export', {
    config: desk(STATS_ROLES), attachValidation: true,
    schema: {
      summary: 'The fixed tables as a file: csv (UTF-8 with BOM), json, or hxl (CSV with an HXL hashtag row)', querystring: ExportQuery,
      response: { 200: { description: 'The export', content: { 'text/csv': { schema: Type.String() }, 'application/json': { schema: Type.String() } } }, ...errors },
    },
  }, async (req, reply) => {
    const file = exportStats(app.db, app.config, caller(req).id, req.query, req.validationError);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
  });

  app.get('/api/stats/settings', { config: desk(STATS_ROLES), schema: { response: { 200: StatsSettings, ...errors } } },
    async () => statsSettings(app.db, app.config));

  app.put('/api/stats/settings', { config: desk(ADMINS), schema: { body: EditStatsSettings, response: { 200: StatsSettings, ...errors } } },
    async (req) => setPublicPage(app.db, app.config, caller(req).id, req.body.publicPage));
};
export default statsRoutes;
