// The remedy side of a case at the desk: its panel, coding, referrals, and the deadlines view.
// Each route is a schema from protocol/remedy-api.ts and one call into a service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { CaseParams } from '../../../protocol/desk-api.ts';
import {
  Coding, DeadlineItem, DeadlinesQuery, EditReferral, NewReferral, Referral, ReferralParams, RemedyPanel,
} from '../../../protocol/remedy-api.ts';
import { CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { createReferral, updateReferral } from '../../services/referrals.ts';
import { codeCase, listDeadlines, remedyPanel } from '../../services/remedy.ts';

const remedyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = desk(CASE_HANDLERS);
  const errors = { '4xx': ApiError };

  app.get('/api/cases/:id/remedy', { config, schema: { params: CaseParams, response: { 200: RemedyPanel, ...errors } } },
    async (req) => remedyPanel(app.db, req.params.id, caller(req).id));

  app.put('/api/cases/:id/coding', { config, schema: { params: CaseParams, body: Coding, response: { 200: Coding, ...errors } } },
    async (req) => codeCase(app.db, req.params.id, caller(req).id, req.body));

  app.post('/api/cases/:id/referrals', { config, schema: { params: CaseParams, body: NewReferral, response: { 201: Referral, ...errors } } },
    async (req, reply) => reply.code(201).send(createReferral(app.db, req.params.id, caller(req).id, req.body)));

  app.put('/api/cases/:id/referrals/:referralId', { config, schema: { params: ReferralParams, body: EditReferral, response: { 200: Referral, ...errors } } },
    async (req) => updateReferral(app.db, req.params.id, req.params.referralId, caller(req).id, req.body));

  app.get('/api/deadlines', { config, schema: { querystring: DeadlinesQuery, response: { 200: Type.Array(DeadlineItem), ...errors } } },
    async (req) => listDeadlines(app.db, caller(req).id, req.query.scope ?? 'mine'));
};
export default remedyRoutes;
