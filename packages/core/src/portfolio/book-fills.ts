import { z } from 'zod';
import { isSpxMonthlyExpiry, isSpxwExpiry, isVixExpiry } from '../calendar/index';
import {
  ConflictError,
  InvalidInputError,
  type IsoDate,
  isoDate,
  SPX_MULTIPLIER,
  VIX_OPTION_MULTIPLIER,
} from '../domain/index';
import { type Book, condorSettlementValue } from '../strategies/index';
import { condorSettlementLevel, hedgeSettlementValue } from './settlement';

/**
 * The book as the user records it: fills made at their broker (docs/book.md). The same fills, with the
 * same validation, come from POST /api/book and from a `signal --book` file; the open positions the
 * engine sees are derived from them.
 */

const iso = /^\d{4}-\d{2}-\d{2}$/;
const strikesSchema = z
  .object({
    putLong: z.number().positive(),
    putShort: z.number().positive(),
    callShort: z.number().positive(),
    callLong: z.number().positive(),
  })
  .strict();

/** A fill the user recorded at their broker. `id` is the user's own id: re-posting it is a no-op. */
export const bookFillSchema = z.discriminatedUnion('instrument', [
  z
    .object({
      id: z.string().min(1).max(100),
      instrument: z.literal('condor'),
      action: z.enum(['open', 'close']),
      positionId: z.string().min(1).max(100),
      date: z.string().regex(iso, 'use YYYY-MM-DD'),
      tier: z.enum(['conservative', 'balanced', 'aggressive']),
      /** SPXW (PM-settled, the default) or SPX (AM-settled monthlies). */
      root: z.enum(['SPX', 'SPXW']).optional(),
      expiry: z.string().regex(iso, 'use YYYY-MM-DD'),
      strikes: strikesSchema,
      quantity: z.number().int().positive(),
      /** Net credit per condor in index points (open: received; close: paid). */
      price: z.number().nonnegative(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(100),
      instrument: z.literal('hedge'),
      action: z.enum(['open', 'close']),
      positionId: z.string().min(1).max(100),
      date: z.string().regex(iso, 'use YYYY-MM-DD'),
      layer: z.number().int().positive(),
      expiry: z.string().regex(iso, 'use YYYY-MM-DD'),
      strike: z.number().positive(),
      quantity: z.number().int().positive(),
      /** VIX call premium per contract in VIX points. */
      price: z.number().nonnegative(),
    })
    .strict(),
]);
export type BookFill = z.infer<typeof bookFillSchema>;

/** How an edge names a fill's field in an error: the API `fills[2].expiry`, the CLI `book.json: fill 2 ...`. */
export type FillFieldNamer = (index: number, id: string | undefined, field: string) => string;

export const apiFillField: FillFieldNamer = (index, id, field) =>
  `fills[${index}]${id ? ` (id '${id}')` : ''}.${field}`;

export function fileFillField(file: string): FillFieldNamer {
  return (index, id, field) => `${file}: fill ${index}${id ? ` (id '${id}')` : ''}: field "${field}"`;
}

export interface FillValidationContext {
  /** Hedge layers of the strategy config (layer numbers 1..n). */
  readonly hedgeLayers: number;
  readonly name: FillFieldNamer;
}

/** A real calendar date in YYYY-MM-DD: the domain's own parser (core never touches `Date`). */
function realDate(text: string): boolean {
  try {
    isoDate(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether the exchange calendar lists `expiry` for this instrument (false outside the calendar's years). */
function listedExpiry(f: BookFill): boolean {
  try {
    if (f.instrument === 'hedge') return isVixExpiry(f.expiry as IsoDate);
    return (f.root ?? 'SPXW') === 'SPX'
      ? isSpxMonthlyExpiry(f.expiry as IsoDate)
      : isSpxwExpiry(f.expiry as IsoDate);
  } catch {
    return false;
  }
}

/** The terms that identify a position: a fill adding to or closing it must repeat them. */
function termsOf(f: BookFill): string {
  return f.instrument === 'condor'
    ? `condor ${f.root ?? 'SPXW'} ${f.expiry} ${f.strikes.putLong}/${f.strikes.putShort}/${f.strikes.callShort}/${f.strikes.callLong}`
    : `hedge layer ${f.layer} ${f.expiry} ${f.strike}`;
}

/**
 * The one validation of fills (the API's POST /api/book and the CLI's --book file): the shape, real
 * calendar dates, an expiry after the opening date that the calendar lists (SPXW/SPX for condors, VIX
 * for hedges), strikes putLong < putShort < callShort < callLong, a known hedge layer, positive
 * quantities, and against the fills already `recorded` (not voided): a close needs an open position with
 * that id and the same terms, for no more than its open quantity. Every problem names the fill and the
 * field; field problems are an InvalidInputError, problems with the recorded book a ConflictError.
 * Returns the fills parsed.
 */
export function validateFills(
  raw: unknown,
  recorded: readonly BookFill[],
  ctx: FillValidationContext,
): BookFill[] {
  const fail = (kind: 'invalid' | 'conflict', lines: string[], field: string): never => {
    const text = `invalid fills:\n  ${lines.join('\n  ')}`;
    const hint = 'fix the fills named (the format: docs/book.md)';
    const opts = { serviceHint: 'fix the fills named and send them again (nothing was recorded)' };
    if (kind === 'conflict') throw new ConflictError(text, field, hint, opts);
    throw new InvalidInputError(text, field, hint, opts);
  };
  if (!Array.isArray(raw) || raw.length === 0)
    fail('invalid', ['fills: expected a non-empty array of fills (docs/book.md)'], 'fills');
  const list = raw as unknown[];
  const problems: string[] = [];
  let firstField: string | undefined;
  const fills: BookFill[] = [];
  list.forEach((item, i) => {
    const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : undefined;
    const parsed = bookFillSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || 'fill';
        firstField ??= `fills[${i}].${field}`;
        problems.push(`${ctx.name(i, id, field)}: ${issue.message}`);
      }
      return;
    }
    const f = parsed.data;
    fills.push(f);
    const at = (field: string, msg: string) => {
      firstField ??= `fills[${i}].${field}`;
      problems.push(`${ctx.name(i, f.id, field)}: ${msg}`);
    };
    const dateOk = realDate(f.date);
    const expiryOk = realDate(f.expiry);
    if (!dateOk) at('date', `'${f.date}' is not a calendar date`);
    if (!expiryOk) at('expiry', `'${f.expiry}' is not a calendar date`);
    if (dateOk && expiryOk) {
      if (f.action === 'open' && f.expiry <= f.date)
        at('expiry', `${f.expiry} must be after the fill date ${f.date}`);
      if (f.action === 'close' && f.expiry < f.date)
        at(
          'date',
          `a close on ${f.date} is after the expiry ${f.expiry} (an expired position settles by itself)`,
        );
      if (!listedExpiry(f))
        at(
          'expiry',
          f.instrument === 'hedge'
            ? `${f.expiry} is not a VIX options expiration`
            : `${f.expiry} is not an ${f.root ?? 'SPXW'} expiration${(f.root ?? 'SPXW') === 'SPX' ? ' (SPX monthlies: the third Friday)' : ''}`,
        );
    }
    if (f.instrument === 'condor') {
      const s = f.strikes;
      if (!(s.putLong < s.putShort && s.putShort < s.callShort && s.callShort < s.callLong))
        at(
          'strikes',
          `need putLong < putShort < callShort < callLong, got ${s.putLong} / ${s.putShort} / ${s.callShort} / ${s.callLong}`,
        );
    } else if (f.layer > ctx.hedgeLayers) {
      at('layer', `${f.layer} is not a hedge layer: the config has layers 1..${ctx.hedgeLayers}`);
    }
  });
  if (problems.length > 0) fail('invalid', problems, firstField ?? 'fills');

  // Against the recorded book: replay the recorded fills, then the new ones in order.
  const recordedById = new Map(recorded.map((f) => [f.id, f]));
  const positions = new Map<string, { terms: string; open: number; openedOn: string }>();
  const apply = (f: BookFill): string | undefined => {
    const p = positions.get(f.positionId);
    if (f.action === 'open') {
      if (p && p.open > 0 && p.terms !== termsOf(f))
        return `positionId: '${f.positionId}' is open as ${p.terms}, not ${termsOf(f)}; use a new position id`;
      if (p && p.open > 0) p.open += f.quantity;
      else positions.set(f.positionId, { terms: termsOf(f), open: f.quantity, openedOn: f.date });
      return undefined;
    }
    if (!p || p.open <= 0) return `positionId: no open position '${f.positionId}' to close`;
    if (p.terms !== termsOf(f))
      return `positionId: '${f.positionId}' is ${p.terms}, the close says ${termsOf(f)}`;
    if (f.quantity > p.open)
      return `quantity: ${f.quantity} closes more than the ${p.open} open in '${f.positionId}'`;
    if (f.date < p.openedOn) return `date: the close on ${f.date} is before the opening on ${p.openedOn}`;
    p.open -= f.quantity;
    return undefined;
  };
  for (const f of recorded) apply(f);
  const conflicts: string[] = [];
  let conflictField = 'fills';
  fills.forEach((f, i) => {
    const prev = recordedById.get(f.id);
    if (prev) return; // re-posting a recorded id: the journal skips it or refuses different content
    const err = apply(f);
    if (err) {
      const [field, ...rest] = err.split(': ');
      if (conflicts.length === 0) conflictField = `fills[${i}].${field}`;
      conflicts.push(`${ctx.name(i, f.id, field!)}: ${rest.join(': ')}`);
    }
  });
  if (conflicts.length > 0) fail('conflict', conflicts, conflictField);
  return fills;
}

/** A fill and its state in the book: voided fills stay listed with their reason. */
export interface FillVoid {
  readonly fillId: string;
  readonly reason: string;
}

/** The engine's Book of the positions still open after `fills` (voided ones already left out). */
export function bookFromFills(fills: readonly BookFill[]): Book {
  const open = new Map<string, { first: BookFill; quantity: number }>();
  for (const f of fills) {
    const cur = open.get(f.positionId);
    if (f.action === 'open') {
      if (cur && cur.quantity > 0) cur.quantity += f.quantity;
      else open.set(f.positionId, { first: f, quantity: f.quantity });
    } else if (cur) cur.quantity -= f.quantity;
  }
  const condors: Book['condors'][number][] = [];
  const hedges: Book['hedges'][number][] = [];
  for (const [id, { first: f, quantity }] of open) {
    if (quantity <= 0) continue;
    if (f.instrument === 'condor') {
      const root = f.root ?? 'SPXW';
      condors.push({
        id,
        chainId: id,
        tier: f.tier,
        expiry: f.expiry as IsoDate,
        root,
        settlement: root === 'SPX' ? 'AM' : 'PM',
        strikes: f.strikes,
        quantity,
        openedOn: f.date as IsoDate,
        entryCredit: f.price,
        rollsInChain: 0,
        chainRealisedPnl: 0,
      });
    } else {
      hedges.push({
        id,
        layer: f.layer,
        expiry: f.expiry as IsoDate,
        strike: f.strike,
        quantity,
        openedOn: f.date as IsoDate,
        entryPrice: f.price,
      } as Book['hedges'][number]);
    }
  }
  return { condors, hedges };
}

/** Where settlement prints come from (market data of days up to the signal's day only). */
export interface SettlementPrints {
  /** SPX open (null when the day has only a close) and close of a session; undefined without data. */
  spxDay(date: IsoDate): { readonly open: number | null; readonly close: number } | undefined;
  /** The VIX settlement (VRO) of an expiry, approximated by the VIX open; undefined without data. */
  vro(expiry: IsoDate): number | undefined;
}

export interface PositionSettlement {
  readonly positionId: string;
  readonly instrument: 'condor' | 'hedge';
  readonly expiry: IsoDate;
  readonly quantity: number;
  /** What the settlement price is: the official print or the approximation used for it. */
  readonly settlementBasis: 'SPXW PM close' | 'SPX AM open' | 'VIX VRO (VIX open)';
  /** The index level settled at (SPX or VIX points). */
  readonly settlementPrice: number;
  /** Value per contract at settlement, points (condor: what the seller pays, <= 0; hedge: >= 0). */
  readonly valuePts: number;
  /** P&L of the position from its entry to settlement, USD, no fees (cash settlement has none). */
  readonly pnlUsd: number;
}

export interface AwaitingSettlement {
  readonly positionId: string;
  readonly instrument: 'condor' | 'hedge';
  readonly expiry: IsoDate;
  readonly reason: string;
}

/**
 * Settles the positions of `book` that expired before `asOf` at their official settlement (the same
 * functions as the backtest: condorSettlementLevel, condorSettlementValue, hedgeSettlementValue) and
 * returns the book without them. A position whose settlement print is not in the data yet is left out
 * of the engine's book too (it cannot be priced past its expiry) and listed as awaiting settlement.
 */
export function settleExpiredBook(
  book: Book,
  asOf: IsoDate,
  prints: SettlementPrints,
): { book: Book; settled: PositionSettlement[]; awaiting: AwaitingSettlement[] } {
  const settled: PositionSettlement[] = [];
  const awaiting: AwaitingSettlement[] = [];
  const condors = book.condors.filter((c) => {
    if (c.expiry >= asOf) return true;
    const day = prints.spxDay(c.expiry);
    if (!day) {
      awaiting.push({
        positionId: c.id,
        instrument: 'condor',
        expiry: c.expiry,
        reason: `no SPX data for ${c.expiry}: the settlement is not known yet`,
      });
      return false;
    }
    const level = condorSettlementLevel(c.settlement, day);
    const valuePts = condorSettlementValue(c.strikes, level);
    settled.push({
      positionId: c.id,
      instrument: 'condor',
      expiry: c.expiry,
      quantity: c.quantity,
      settlementBasis: c.settlement === 'AM' ? 'SPX AM open' : 'SPXW PM close',
      settlementPrice: level,
      valuePts,
      pnlUsd: round2((c.entryCredit + valuePts) * SPX_MULTIPLIER * c.quantity),
    });
    return false;
  });
  const hedges = book.hedges.filter((h) => {
    if (h.expiry >= asOf) return true;
    const vro = prints.vro(h.expiry);
    if (vro === undefined) {
      awaiting.push({
        positionId: h.id,
        instrument: 'hedge',
        expiry: h.expiry,
        reason: `no VIX open for ${h.expiry}: the settlement (VRO) is not known yet`,
      });
      return false;
    }
    const valuePts = hedgeSettlementValue(h.strike, vro);
    settled.push({
      positionId: h.id,
      instrument: 'hedge',
      expiry: h.expiry,
      quantity: h.quantity,
      settlementBasis: 'VIX VRO (VIX open)',
      settlementPrice: vro,
      valuePts,
      pnlUsd: round2((valuePts - h.entryPrice) * VIX_OPTION_MULTIPLIER * h.quantity),
    });
    return false;
  });
  return { book: { condors, hedges }, settled, awaiting };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
