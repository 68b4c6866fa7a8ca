import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors';

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are compared as equal-length
 * buffers (the presented token is padded/truncated to the expected length, and the length mismatch is
 * folded into the result), so timing does not reveal how many leading bytes matched.
 */
export function checkBearer(header: string | undefined, token: string): void {
  // The scheme is case-insensitive (RFC 9110 section 11.1): `bearer` and `Bearer` are the same.
  const m = header ? /^bearer +(.+)$/i.exec(header) : null;
  if (!m) {
    throw new HttpError(401, 'missing bearer token', 'authorization', 'send Authorization: Bearer <token>');
  }
  const expected = Buffer.from(token, 'utf8');
  const given = Buffer.from(m[1]!, 'utf8');
  const padded = Buffer.alloc(expected.length);
  given.copy(padded, 0, 0, Math.min(given.length, expected.length));
  const same = timingSafeEqual(padded, expected) && given.length === expected.length;
  if (!same) {
    throw new HttpError(
      401,
      'invalid bearer token',
      'authorization',
      'send the token the server was started with',
    );
  }
}
