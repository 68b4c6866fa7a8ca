import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../errors';
import { unencapsulated } from './unencapsulated';

/** Requests per minute per client IP, answered past the limit with 429 in the API's error shape. */
export const rateLimitPlugin: FastifyPluginAsync<{ perMinute: number }> = unencapsulated(
  async (app, { perMinute }) => {
    await app.register(rateLimit, {
      max: perMinute,
      timeWindow: '1 minute',
      // Thrown by the plugin: an HttpError goes through the error handler like every other error.
      errorResponseBuilder: (_req, ctx) =>
        new HttpError(
          429,
          `rate limit exceeded: ${ctx.max} requests per ${ctx.after}`,
          null,
          'too many requests: slow down and retry later',
        ),
    });
  },
);
