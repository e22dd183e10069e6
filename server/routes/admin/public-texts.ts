// Texts reporters read, editable per language by admins: the explanation of each status on the
// follow-up page, and the acknowledgement template caseworkers send. Defaults come from the locales.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { and, eq } from 'drizzle-orm';
import { publicTexts } from '../../../db/schema.ts';
import { ApiError } from '../../../protocol/api.ts';
import { CASE_STATUSES, LANGUAGE_CODES } from '../../../protocol/taxonomy.ts';
import { AppError } from '../../errors.ts';
import { requireDesk } from '../../plugins/auth.ts';
import { appendAudit } from '../../services/audit.ts';
import { textsFor } from '../../services/follow-up.ts';

export const PUBLIC_TEXT_KEYS = [...CASE_STATUSES.filter((s) => s !== 'purged').map((s) => `status.${s}`), 'template.acknowledge'];
const LanguageParams = Type.Object({ language: Type.String({ maxLength: 3 }) });
const responses = { 200: Type.Unknown(), '4xx': ApiError };

const publicTextRoutes: FastifyPluginAsyncTypebox = async (app) => {
  function defaults(language: string): Record<string, string> {
    const t = app.locales.get(language).t;
    return Object.fromEntries(PUBLIC_TEXT_KEYS.map((key) => [key,
      key === 'template.acknowledge' ? t('followUp.ackTemplate') : t(`followUp.${key}`)]));
  }
  const known = (language: string) => {
    if (!LANGUAGE_CODES.includes(language)) throw new AppError(400, 'unknown_language', 'language');
  };

  app.get('/api/public-texts/:language', { preHandler: requireDesk(['admin', 'caseworker']), schema: { params: LanguageParams, response: responses } }, async (req) => {
    known(req.params.language);
    return { defaults: defaults(req.params.language), overrides: textsFor(app.db, req.params.language) };
  });

  app.put('/api/public-texts/:language', {
    preHandler: requireDesk(['admin']),
    schema: { params: LanguageParams, body: Type.Object({ key: Type.String({ maxLength: 40 }), text: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: responses },
  }, async (req) => {
    const { language } = req.params;
    known(language);
    const { key, text } = req.body;
    if (!PUBLIC_TEXT_KEYS.includes(key)) throw new AppError(400, 'invalid_request', 'key');
    const now = new Date().toISOString();
    app.db.transaction((tx) => {
      tx.delete(publicTexts).where(and(eq(publicTexts.language, language), eq(publicTexts.key, key))).run();
      // An empty text goes back to the default translation.
      if (text.trim()) tx.insert(publicTexts).values({ language, key, text: text.trim(), updatedAt: now }).run();
      appendAudit(tx as never, { at: now, actor: req.user!.id, action: 'texts.changed', subject: `${language}:${key}` });
    });
    return { defaults: defaults(language), overrides: textsFor(app.db, language) };
  });
};
export default publicTextRoutes;
