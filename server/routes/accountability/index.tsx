// The public accountability page, off until an admin turns it on (then 404, like any unknown
// address): server-rendered in the request's language, readable without script, with the
// disclosure-controlled tables as CSV, HXL and JSON downloads.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ExportFormat } from '../../../protocol/stats-api.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { registerView } from '../../services/register.ts';
import { publicExport, publicPublication } from '../../services/stats.ts';
import { countriesOf, latestListed } from '../../../ui/stats/figures.ts';
import { frameOf, localeFor } from '../pages/page-kit.tsx';
import { AccountabilityPage } from './views.tsx';

const FILES: Record<string, ExportFormat> = { 'statistics.csv': 'csv', 'statistics-hxl.csv': 'hxl', 'statistics.json': 'json' };
const rateLimit = { max: 60, timeWindow: '1 minute' };
const NotFound = { 404: { description: 'The page is off (or no such file)', content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) } } } };

export default async function accountability(app: FastifyInstance) {
  app.get('/accountability', {
    config: { ...PUBLIC, rateLimit },
    schema: { summary: 'The public accountability page (when an admin turned it on)', response: { 200: { description: 'An HTML page in the request\'s language', content: { 'text/html': { schema: Type.String() } } }, ...NotFound } },
  }, async (req, reply) => {
    const publication = publicPublication(app.db, app.config);
    if (!publication) return reply.callNotFound();
    const locale = localeFor(app, req, reply);
    const query = req.query as { country?: unknown; quarter?: unknown };
    const countries = countriesOf(publication);
    const country = countries.find((c) => c === query.country) ?? countries[0] ?? null;
    const quarter = publication.quarters.find((q) => q === query.quarter) ?? latestListed(publication) ?? null;
    const body = (
      <AccountabilityPage {...frameOf(app, locale)} publication={publication} register={registerView(app.db, app.config, publication)}
        country={country} quarter={quarter} countries={countries} />
    );
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body, entry: 'accountability' }));
  });

  app.get<{ Params: { file: string } }>('/accountability/:file', {
    config: { ...PUBLIC, rateLimit },
    schema: {
      summary: 'The public page\'s tables: statistics.csv, statistics-hxl.csv or statistics.json',
      params: Type.Object({ file: Type.String({ maxLength: 40 }) }),
      response: { 200: { description: 'The export', content: { 'text/csv': { schema: Type.String() }, 'application/json': { schema: Type.String() } } }, ...NotFound },
    },
  }, async (req, reply) => {
    const format = Object.hasOwn(FILES, req.params.file) ? FILES[req.params.file] : undefined;
    const file = format && publicExport(app.db, app.config, format, app.state.publicExports);
    if (!file) return reply.callNotFound();
    reply.header('cache-control', 'no-store');
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
  });
}
