// POST /api/reports: a report sealed in the browser. The body is ciphertext plus clear routing
// fields; the server checks routing and recipients and stores it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, ReportAccepted, SubmitReport } from '../../../protocol/api.ts';
import { LIMITS } from '../../../protocol/limits.ts';
import { AppError } from '../../errors.ts';
import { acceptReport } from '../../services/reports.ts';
import { PUBLIC } from '../../plugins/auth.ts';

const reports: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/reports', {
    bodyLimit: LIMITS.maxReportBodyBytes,
    // JSON only: refuse other types before any parser runs (text/plain and multipart have parsers).
    onRequest: async (req) => {
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new AppError(415, 'unsupported_media_type');
    },
    config: { ...PUBLIC, rateLimit: { max: app.config.submitRateLimit, timeWindow: '1 minute' } },
    schema: {
      summary: 'Submit a report sealed in the browser',
      body: SubmitReport,
      response: { 201: ReportAccepted, '4xx': ApiError, 503: ApiError },
    },
  }, async (req, reply) => reply.code(201).send(await acceptReport(app.db, req.body, 'browser', { notify: app.config.smtpUrl !== null })));
};
export default reports;
