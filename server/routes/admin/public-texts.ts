// Texts reporters read, editable per language: caseworkers read them (for the acknowledgement
// template), admins edit them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../protocol/api.ts';
import { EditPublicText, LanguageParams, PublicTexts } from '../../../protocol/desk-api.ts';
import { ADMINS, CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { editPublicText, publicTextsOf } from '../../services/public-texts.ts';

const publicTextRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const translator = (language: string) => app.locales.get(language).t;
  const response = { 200: PublicTexts, '4xx': ApiError };

  app.get('/api/public-texts/:language', { config: desk(CASE_HANDLERS), schema: { params: LanguageParams, response } },
    async (req) => publicTextsOf(app.db, req.params.language, translator(req.params.language)));

  app.put('/api/public-texts/:language', { config: desk(ADMINS), schema: { params: LanguageParams, body: EditPublicText, response } },
    async (req) => editPublicText(app.db, caller(req).id, req.params.language, translator(req.params.language), req.body));
};
export default publicTextRoutes;
