import type { FastifyRequest } from 'fastify';
import { checkBearer } from '../auth';
import { HttpError } from '../errors';

/**
 * The preHandler of every mutating route: `Authorization: Bearer <token>`; without a token the
 * server refuses every mutating route (401) rather than leaving them open.
 */
export function bearerAuth(token: string | undefined): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    if (!token)
      throw new HttpError(
        401,
        'this server was started without a token, so mutating routes are disabled',
        'authorization',
        'restart with vixshield serve --token <T> (or VIXSHIELD_TOKEN)',
      );
    checkBearer(req.headers.authorization, token);
  };
}
