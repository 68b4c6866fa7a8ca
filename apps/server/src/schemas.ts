import { z } from 'zod';

/**
 * The request schemas of the API: validation happens in the handlers with zod (one error format);
 * their JSON schemas are for the OpenAPI document.
 */

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
const dateField = z.string().regex(dateRe, 'use YYYY-MM-DD');

export const signalQuery = z
  .object({
    date: dateField.optional(),
    preset: z.string().max(40).optional(),
    equity: z.coerce.number().positive().max(1e10).optional(),
    book: z.enum(['journal', 'none']).default('journal'),
  })
  .strict();
export const signalsQuery = z
  .object({
    preset: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(30),
  })
  .strict();
export const edrQuery = z.object({ date: dateField.optional() }).strict();
export const chainQuery = z
  .object({
    date: dateField,
    expiry: dateField,
    source: z.enum(['real', 'model']).default('real'),
    root: z.enum(['SPX', 'SPXW']).optional(),
  })
  .strict();
export const marketQuery = z.object({ from: dateField.optional(), to: dateField.optional() }).strict();
/** A route that takes no query parameters: an unknown one is a 400, not silently ignored. */
export const noQuery = z.object({}).strict();
export const calendarQuery = z.object({ from: dateField, to: dateField }).strict();
export const backtestBody = z
  .object({
    from: dateField.optional(),
    to: dateField.optional(),
    preset: z.string().max(40).optional(),
    equity: z.number().positive().max(1e10).optional(),
    fill: z.string().max(40).optional(),
  })
  .strict();

/** The JSON schema of a zod schema, for the OpenAPI document (validation itself is zod's). */
export function jsonSchema(s: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
