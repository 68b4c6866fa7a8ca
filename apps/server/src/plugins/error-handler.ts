import type { FastifyPluginAsync } from 'fastify';
import { toApiError } from '../errors';
import { unencapsulated } from './unencapsulated';

/**
 * Every error as the JSON body of ../errors (the status from its kind table), never a stack trace;
 * 5xx are logged. An unknown route is a 404 in the same shape.
 */
export const errorHandlerPlugin: FastifyPluginAsync = unencapsulated(async (app) => {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toApiError(err);
    if (status >= 500) req.log.error(err);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: `no route ${req.method} ${req.url.split('?')[0]}`,
      field: null,
      hint: 'see /api/docs/json for the routes',
    });
  });
});
