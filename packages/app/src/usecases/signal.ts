import { EMBEDDED_HOD_FIRST, EMBEDDED_HOD_LAST, RealChainSource } from '@vixshield/chains';
import {
  AS_SENTENCE,
  type Book,
  type DailySignal,
  EMPTY_BOOK,
  INITIAL_ENGINE_STATE,
  InvalidInputError,
  ORATS_LIKE_FILL,
  step,
  toDailySignal,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { z } from 'zod';
import { loadStrategyConfig, presetOption } from './config';
import { readJsonFile } from './files';
import { marketData, requireDataDate, sessionsUpTo } from './market';

const strikes = z.object({
  putLong: z.number(),
  putShort: z.number(),
  callShort: z.number(),
  callLong: z.number(),
});
const bookSchema = z.object({
  condors: z
    .array(
      z.object({
        id: z.string(),
        chainId: z.string().optional(),
        tier: z.enum(['conservative', 'balanced', 'aggressive']),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        root: z.enum(['SPX', 'SPXW']).default('SPXW'),
        settlement: z.enum(['AM', 'PM']).default('PM'),
        strikes,
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryCredit: z.number(),
        rollsInChain: z.number().int().min(0).default(0),
        chainRealisedPnl: z.number().default(0),
      }),
    )
    .default([]),
  hedges: z
    .array(
      z.object({
        id: z.string(),
        layer: z.number().int().positive(),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        strike: z.number().positive(),
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryPrice: z.number().nonnegative(),
      }),
    )
    .default([]),
});

export function readBook(file: string | undefined): Book {
  if (!file) return EMPTY_BOOK;
  return parseBook(readJsonFile(file), file);
}

/** Validates a book (open condors and hedges) from JSON; errors name the field. */
export function parseBook(raw: unknown, file = 'book'): Book {
  const parsed = bookSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: field "${i.path.join('.')}": ${i.message}`);
    throw new InvalidInputError(
      `invalid book:\n  ${lines.join('\n  ')}`,
      'book',
      'fix the fields named',
      AS_SENTENCE,
    );
  }
  const b = parsed.data;
  return {
    condors: b.condors.map((c) => ({ ...c, chainId: c.chainId ?? c.id })) as unknown as Book['condors'],
    hedges: b.hedges as unknown as Book['hedges'],
  };
}

export interface SignalOptions {
  date?: string;
  preset?: string;
  config?: string;
  equity?: string;
  book?: string;
  /** Option prices: the surface model (default) or the embedded real 2018 SPXW quotes. */
  source?: 'model' | 'real';
  /** An already-parsed book (HTTP): used instead of `book`. */
  bookValue?: Book;
  dataDir?: string;
}

/** The 15:10 CT signal of one trading day, from data known at that instant only. */
export function computeSignal(opts: SignalOptions): DailySignal {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const equity = opts.equity === undefined ? 100_000 : Number(opts.equity);
  if (!(equity > 0))
    throw new InvalidInputError(
      `{equity} '${opts.equity}' must be a positive amount in USD, e.g. 100000`,
      'equity',
      'pass a positive amount in USD, e.g. 100000',
      AS_SENTENCE,
    );
  const md = marketData(opts.dataDir);
  const date = requireDataDate(md, opts.date);
  const { sessions, skipped } = sessionsUpTo(md, date, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
  const session = sessions.find((s) => s.date === date);
  if (!session)
    throw new InvalidInputError(
      `no session on ${date}: ${skipped.find((s) => s.date === date)?.reason ?? 'unknown'}`,
      'date',
      'pick another trading day',
      AS_SENTENCE,
    );
  const source = opts.source ?? 'model';
  if (source === 'real' && (date < EMBEDDED_HOD_FIRST || date > EMBEDDED_HOD_LAST)) {
    throw new InvalidInputError(
      `{source} real: real quotes are embedded for ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST} only (SPXW end-of-month expiries); ${date} is outside`,
      'source',
      `use the model source, or a date in ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST}`,
      AS_SENTENCE,
    );
  }
  const ports = embeddedPorts(md, {
    quoteTimeCt: cfg.entry.timeCt,
    ...(source === 'real' ? { chains: RealChainSource.embedded() } : {}),
  });
  const book = opts.bookValue ?? readBook(opts.book);
  const res = step(
    INITIAL_ENGINE_STATE,
    { kind: 'session', date, instantUtcMs: session.instantUtcMs, market: session.market, book, equity },
    ports,
    cfg,
  );
  return toDailySignal(
    res,
    {
      date,
      preset: opts.config ? 'custom' : preset,
      instantUtcMs: session.instantUtcMs,
      spx: session.market.spx,
      equity,
      fill: ORATS_LIKE_FILL,
    },
    ports,
  );
}
