// The audit log for admins (PROTOCOL.md §32): a filtered page with readable names, and the same
// filters as a CSV download. `npm run cli -- verify-audit` stays the authority on the chain.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { AuditFilter, AuditPage, AuditQuery } from '../../../protocol/accounts-api.ts';
import { LANGUAGE_CODES } from '../../../protocol/taxonomy.ts';
import { OneOf, strict } from '../../../protocol/schema-kit.ts';
import { ADMINS, desk } from '../../plugins/auth.ts';
import { auditCsv, readAudit } from '../../services/audit-read.ts';

const errors = { '4xx': ApiError };
const CsvQuery = Type.Object({ ...AuditFilter.properties, lang: Type.Optional(OneOf(LANGUAGE_CODES)) }, strict);

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = desk(ADMINS);

  app.get('/api/audit', { config: admin, schema: { querystring: AuditQuery, response: { 200: AuditPage, ...errors } } },
    async (req) => {
      const { before, ...filter } = req.query;
      return readAudit(app.db, filter, before ? Number(before) : undefined);
    });

  app.get('/api/audit.csv', {
    config: admin,
    schema: {
      querystring: CsvQuery,
      response: { 200: { description: 'The matching entries as CSV (UTF-8 with a BOM)', content: { 'text/csv': { schema: Type.String() } } }, ...errors },
    },
  }, async (req, reply) => {
    const { lang: _lang, ...filter } = req.query;
    const locale = app.locales.get(app.locales.pick(req));
    const csv = auditCsv(app.db, filter, (action) => locale.t(`desk:auditLog.action.${action}`, { defaultValue: action }));
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="redress-audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .send(csv);
  });
};
export default auditRoutes;
