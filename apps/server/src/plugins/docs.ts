import swagger from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import { unencapsulated } from './unencapsulated';

/** The OpenAPI document (built from the schemas of every route registered after this plugin). */
export const openApiPlugin: FastifyPluginAsync = unencapsulated(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'VixShield API',
        version: '0.1.0',
        description:
          'SPX iron condors with a VIX-call hedge. Mutating routes need Authorization: Bearer <token>. Errors are JSON {error, field, hint}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
});

/** GET /api/docs and /api/docs/json: the OpenAPI document. */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/docs/json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
};
