import type { IsoDate } from '@vixshield/core';
import { daysInMonth } from '@vixshield/core';
import { z } from 'zod';
import { DataError } from './errors';

/** Where a raw value came from, for error messages. */
export interface Cell {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly raw: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: 0?0:00(?::00)?)?$/;

/** Accepts `YYYY-MM-DD` or `MM/DD/YYYY` (Cboe), returns a checked IsoDate or undefined. */
export function parseDateText(raw: string): IsoDate | undefined {
  const t = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  let mi = ISO.exec(t);
  if (mi) {
    y = Number(mi[1]);
    m = Number(mi[2]);
    d = Number(mi[3]);
  } else {
    mi = US.exec(t);
    if (!mi) return undefined;
    m = Number(mi[1]);
    d = Number(mi[2]);
    y = Number(mi[3]);
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate;
}

const NUM_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** zod schemas for the raw text of each field kind (the validation edge). */
export const fieldSchemas = {
  date: z.string().transform((s, ctx) => {
    const d = parseDateText(s);
    if (d === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a valid date' });
      return z.NEVER;
    }
    return d;
  }),
  price: z
    .string()
    .trim()
    .regex(NUM_RE, 'not a number')
    .transform(Number)
    .pipe(z.number().positive('must be greater than 0')),
  /** Interest rates in percent: may be 0 or slightly negative, never absurd. */
  ratePct: z
    .string()
    .trim()
    .regex(NUM_RE, 'not a number')
    .transform(Number)
    .pipe(z.number().gte(-5, 'below -5%').lte(30, 'above 30%')),
  nonNegative: z
    .string()
    .trim()
    .regex(NUM_RE, 'not a number')
    .transform(Number)
    .pipe(z.number().nonnegative('must not be negative')),
} as const;

const HINTS: Record<keyof typeof fieldSchemas, string> = {
  date: 'write the date as YYYY-MM-DD or MM/DD/YYYY, e.g. 2024-08-05',
  price: 'write a positive decimal number such as 4447.70 (no thousands separators, no currency)',
  ratePct: 'write the rate in percent as a plain number such as 2.35 (leave empty for a holiday)',
  nonNegative: 'write a non-negative decimal number (0 only where the source documents it)',
};

/** Parses one cell with its zod schema; throws a DataError naming file, line, field and value. */
export function parseCell<K extends keyof typeof fieldSchemas>(
  kind: K,
  cell: Cell,
): z.output<(typeof fieldSchemas)[K]> {
  // Fast path for the common valid case; it accepts only what the zod schema accepts (same regex,
  // same bounds). Anything else goes through the schema, which is authoritative and names the issue.
  const raw = cell.raw;
  if (kind === 'date') {
    const d = parseDateText(raw);
    if (d !== undefined) return d as z.output<(typeof fieldSchemas)[K]>;
  } else if (NUM_RE.test(raw)) {
    const v = Number(raw);
    if (
      (kind === 'price' && v > 0) ||
      (kind === 'nonNegative' && v >= 0) ||
      (kind === 'ratePct' && v >= -5 && v <= 30)
    ) {
      return v as z.output<(typeof fieldSchemas)[K]>;
    }
  }
  const r = fieldSchemas[kind].safeParse(raw);
  if (r.success) return r.data as z.output<(typeof fieldSchemas)[K]>;
  const issue = r.error.issues[0];
  throw new DataError(cell.file, cell.line, cell.field, cell.raw, issue?.message ?? 'invalid', HINTS[kind]);
}
