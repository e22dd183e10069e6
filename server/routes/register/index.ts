// The register of AI deployments at the desk: everyone signed in reads it (analysts too), admins
// and caseworkers keep it, admins remove an entry no case is linked to. Bodies are validated in the
// service (attachValidation) so that refusals are audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../../protocol/api.ts';
import { DeploymentEntry, DeploymentParams, DeploymentView, RegisterView } from '../../../protocol/register-api.ts';
import { ADMINS, ALL_ROLES, CASE_HANDLERS, caller, desk } from '../../plugins/auth.ts';
import { createDeployment, deleteDeployment, deploymentView, registerView, updateDeployment } from '../../services/register.ts';

const registerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ApiError };

  app.get('/api/deployments', { config: desk(ALL_ROLES), schema: { response: { 200: RegisterView, ...errors } } },
    async () => registerView(app.db, app.config));

  app.get('/api/deployments/:id', { config: desk(ALL_ROLES), schema: { params: DeploymentParams, response: { 200: DeploymentView, ...errors } } },
    async (req) => deploymentView(app.db, app.config, req.params.id));

  app.post('/api/deployments', {
    config: desk(CASE_HANDLERS), attachValidation: true, schema: { body: DeploymentEntry, response: { 201: DeploymentView, ...errors } },
  }, async (req, reply) => reply.code(201).send(createDeployment(app.db, app.config, caller(req).id, req.body, req.validationError)));

  app.put('/api/deployments/:id', {
    config: desk(CASE_HANDLERS), attachValidation: true, schema: { params: DeploymentParams, body: DeploymentEntry, response: { 200: DeploymentView, ...errors } },
  }, async (req) => updateDeployment(app.db, app.config, caller(req).id, req.params.id, req.body, req.validationError));

  app.delete('/api/deployments/:id', { config: desk(ADMINS), schema: { params: DeploymentParams, response: { 204: Type.Null({ description: 'Removed' }), ...errors } } },
    async (req, reply) => { deleteDeployment(app.db, caller(req).id, req.params.id); return reply.code(204).send(null); });
};
export default registerRoutes;
