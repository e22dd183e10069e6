// One error format for the whole API: { statusCode, code, message, field? }. Fastify's own
// errors (bad JSON, wrong content type, too large, validation) are mapped to stable codes, and
// the message is translated into the request's language. 5xx details never leave the server.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Which code an invalid value at a body path gets. */
const FIELD_CODES: Record<string, string> = {
  category: 'unknown_category',
  country: 'unknown_country',
  language: 'unknown_language',
  systemType: 'unknown_system_type',
  role: 'unknown_role',
  categories: 'unknown_category',
  countries: 'unknown_country',
  languages: 'unknown_language',
};

interface Mapped { statusCode: number; code: string; field?: string }

/** The status and stable code an error is answered with (services use it to audit a refusal the way it will be answered). */
export function mapError(error: FastifyError | AppError): Mapped {
  if (error instanceof AppError) return { statusCode: error.statusCode, code: error.code, field: error.field };
  if (error.validation?.length) {
    const first = error.validation[0]!;
    const path = first.instancePath.split('/').filter(Boolean);
    if (first.keyword === 'additionalProperties') {
      const extra = String((first.params as { additionalProperty?: string }).additionalProperty);
      return { statusCode: 400, code: 'unknown_field', field: [...path, extra].join('.') };
    }
    // The field an invalid value belongs to: the last name in the path (not a list index).
    const leaf = [...path].reverse().find((part) => !/^[0-9]+$/.test(part)) ?? '';
    return { statusCode: 400, code: FIELD_CODES[leaf] ?? 'invalid_request', field: path.join('.') || undefined };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return { statusCode: 415, code: 'unsupported_media_type' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return { statusCode: 413, code: 'body_too_large' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { statusCode: 400, code: 'malformed_json' };
  }
  if (error instanceof SyntaxError) return { statusCode: 400, code: 'malformed_json' };
  const status = error.statusCode ?? 500;
  if (status === 429) return { statusCode: 429, code: 'rate_limited' };
  if (status >= 400 && status < 500) return { statusCode: status, code: status === 404 ? 'not_found' : 'malformed_body' };
  return { statusCode: 500, code: 'internal' };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, mapped: Mapped) {
  const locale = req.server.locales.get(req.server.locales.pick(req));
  const message = locale.t(`errors:${mapped.code}`, { defaultValue: locale.t('errors:invalid_request') });
  return reply.code(mapped.statusCode).type('application/json; charset=utf-8').send({
    statusCode: mapped.statusCode, code: mapped.code, message, ...(mapped.field ? { field: mapped.field } : {}),
  });
}

export default fp(async function errors(app) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const mapped = mapError(error);
    // Only the unexpected is logged (an AppError such as not_open is an answer, not a fault).
    if (mapped.statusCode >= 500 && !(error instanceof AppError)) req.log.error({ err: error }, 'request failed');
    if (mapped.statusCode === 429) reply.header('retry-after', '60');
    return sendError(req, reply, mapped);
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, { statusCode: 404, code: 'not_found' }));
}, { name: 'errors', dependencies: ['locales'] });
