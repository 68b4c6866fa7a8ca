import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import { unencapsulated } from './unencapsulated';

/** Requests per minute per client IP, answered past the limit with 429 in the API's error shape. */
export const rateLimitPlugin: FastifyPluginAsync<{ perMinute: number }> = unencapsulated(
  async (app, { perMinute }) => {
    await app.register(rateLimit, {
      max: perMinute,
      timeWindow: '1 minute',
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: `rate limit exceeded: ${ctx.max} requests per ${ctx.after}`,
        field: null,
        hint: 'too many requests: slow down and retry later',
      }),
    });
  },
);
