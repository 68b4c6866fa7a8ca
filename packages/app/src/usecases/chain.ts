import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHAIN_DB_FILE,
  EMBEDDED_HOD_FIRST,
  EMBEDDED_HOD_LAST,
  RealChainSource,
  withSharedChainStore,
} from '@vixshield/chains';
import {
  AS_SENTENCE,
  bsmGreeks,
  type ExpiryRegime,
  type IsoDate,
  impliedVolBsm,
  ModelledChainSource,
  midPrice,
  NotFoundError,
  type OptionChain,
  type OptionRoot,
  settlementInstantUtcMs,
  yearFraction,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { marketData } from './market';

/**
 * The chain use case: one SPX option chain (embedded 2018 quotes, the DuckDB store, or the surface
 * model) with our implied vol from the mid and BSM Greeks per strike. Shared by `vixshield chain` and
 * `GET /api/chain`. A missing chain is a NotFoundError (the CLI exits 1, HTTP answers 404).
 */

/**
 * Rate and dividend yield used until the market-data loader lands (continuously compounded, per
 * year). 2% is a round T-bill-like rate; 1.8% is close to the S&P 500 dividend yield of 2015-2019.
 * Every output says whether these defaults or user values were used.
 */
export const DEFAULT_RATE = 0.02;
export const DEFAULT_DIVIDEND_YIELD = 0.018;

export interface ChainArgs {
  readonly date: IsoDate;
  readonly expiry: IsoDate;
  /** auto: real quotes where the embedded sample or the store has this chain, otherwise the model (said in `note`). */
  readonly source: 'real' | 'model' | 'auto';
  readonly root?: OptionRoot;
  readonly rate?: number;
  readonly yield?: number;
  readonly dataDir: string;
}

export interface SideRow {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mid: number | null;
  readonly flags: number;
  /** Our BSM implied vol from the mid (null when there is no two-sided market or no solution). */
  readonly iv: number | null;
  readonly ivStatus: string;
  readonly vendorIv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  /** Per calendar year (divide by 365 for per day). */
  readonly thetaPerYear: number | null;
  /** Per 1.00 of vol (divide by 100 for per vol point). */
  readonly vegaPer1: number | null;
}

export interface ChainOutput {
  readonly asOf: IsoDate;
  readonly expiry: IsoDate;
  readonly root: OptionRoot;
  readonly settlement: 'AM' | 'PM';
  readonly quoteTimeUtc: string;
  readonly settlementUtc: string;
  /** Years, ACT/365 on calendar minutes, quote instant -> settlement instant. */
  readonly years: number;
  readonly underlying: number;
  readonly source: OptionChain['source'];
  /** Where the quotes were read from: the embedded CSV or the DuckDB store. */
  readonly from: 'embedded' | 'store' | 'model';
  /** Why the model answered when real quotes were asked for by default (source auto); absent otherwise. */
  readonly note?: string;
  /**
   * A modelled chain: which regime priced it (the one-day vol, or the surface in variance time) and how
   * much the no-calendar-arbitrage floor lifted its ATM vol (1: not at all; docs/calibration.md).
   */
  readonly regime?: ExpiryRegime;
  readonly rate: { readonly value: number; readonly origin: string };
  readonly dividendYield: { readonly value: number; readonly origin: string };
  readonly rows: ReadonlyArray<{ readonly strike: number; readonly call: SideRow; readonly put: SideRow }>;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function side(
  chain: OptionChain,
  i: number,
  right: 'call' | 'put',
  T: number,
  r: number,
  q: number,
): SideRow {
  const isCall = right === 'call';
  const bid = isCall ? chain.callBid[i]! : chain.putBid[i]!;
  const ask = isCall ? chain.callAsk[i]! : chain.putAsk[i]!;
  const flags = isCall ? chain.callFlags[i]! : chain.putFlags[i]!;
  const vendorIv = isCall ? chain.callIv[i]! : chain.putIv[i]!;
  const mid = midPrice(chain, i, right);
  const base = {
    bid: finiteOrNull(bid),
    ask: finiteOrNull(ask),
    mid: finiteOrNull(mid),
    flags,
    vendorIv: finiteOrNull(vendorIv),
  };
  const none = { iv: null, delta: null, gamma: null, thetaPerYear: null, vegaPer1: null };
  if (!Number.isFinite(mid)) return { ...base, ...none, ivStatus: 'no two-sided market' };
  if (!(T > 0)) return { ...base, ...none, ivStatus: 'at expiry' };
  const option = {
    isCall,
    spot: chain.underlying,
    strike: chain.strikes[i]!,
    yearsToExpiry: T,
    riskFreeRate: r,
    dividendYield: q,
  };
  const res = impliedVolBsm({ ...option, price: mid });
  if (res.iv === null) return { ...base, ...none, ivStatus: res.status };
  const g = bsmGreeks({ ...option, vol: res.iv });
  return {
    ...base,
    iv: res.iv,
    ivStatus: 'ok',
    delta: g.delta,
    gamma: g.gamma,
    thetaPerYear: g.theta,
    vegaPer1: g.vega,
  };
}

export function isEmbeddedDate(d: IsoDate): boolean {
  return d >= EMBEDDED_HOD_FIRST && d <= EMBEDDED_HOD_LAST;
}

export async function runChain(args: ChainArgs): Promise<ChainOutput> {
  if (args.source !== 'auto') return runChainFrom(args, args.source);
  // Real quotes where they exist; any other day is modelled, and the output says so and why.
  const hasStore = existsSync(join(args.dataDir, CHAIN_DB_FILE));
  if (isEmbeddedDate(args.date) || hasStore) {
    try {
      return await runChainFrom(args, 'real');
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const out = await runChainFrom(args, 'model');
      return { ...out, note: `modelled: ${err.message}` };
    }
  }
  const out = await runChainFrom(args, 'model');
  return {
    ...out,
    note: `modelled: no real quotes for ${args.date} (embedded sample ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST}; import more with \`vixshield chains import\`)`,
  };
}

async function runChainFrom(args: ChainArgs, source: 'real' | 'model'): Promise<ChainOutput> {
  let chain: OptionChain | undefined;
  let expirations: readonly IsoDate[];
  let from: 'embedded' | 'store' | 'model';
  let regime: ExpiryRegime | undefined;
  const snap = marketData().byDate(args.date);
  if (source === 'model') {
    if (!snap)
      throw new NotFoundError(
        `no market snapshot for ${args.date} in the data: cannot model its chain`,
        'date',
        'pick a trading day of the data',
        AS_SENTENCE,
      );
    const ports = embeddedPorts(marketData());
    chain = ports.chains.chain(args.date, args.expiry);
    expirations = ports.chains.expirations(args.date);
    regime =
      ports.chains instanceof ModelledChainSource ? ports.chains.regimeOf(args.date, args.expiry) : undefined;
    from = 'model';
  } else if (isEmbeddedDate(args.date)) {
    const src = RealChainSource.embedded();
    chain = src.chainFor(args.date, args.expiry, args.root);
    expirations = src.expirations(args.date);
    from = 'embedded';
  } else {
    const dbFile = join(args.dataDir, CHAIN_DB_FILE);
    if (!existsSync(dbFile)) {
      throw new NotFoundError(
        `no chain data for ${args.date}: it is outside the embedded sample (${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST}) and ${dbFile} does not exist; import quotes with \`vixshield chains import <file>\``,
        'date',
        'import quotes with `vixshield chains import <file>`',
        AS_SENTENCE,
      );
    }
    // The process's shared store (kept open between requests, closed when idle): one slice query,
    // not a DuckDB open and a whole day's rows per request.
    [chain, expirations] = await withSharedChainStore(args.dataDir, async (store) => {
      const c = await store.chain(args.date, args.expiry, args.root);
      return [c, c === undefined ? await store.expiries(args.date) : []] as const;
    });
    from = 'store';
  }
  if (chain === undefined) {
    throw new NotFoundError(
      `no ${args.root ?? ''}${args.root ? ' ' : ''}chain for {date} ${args.date} {expiry} ${args.expiry}; ` +
        (expirations.length > 0
          ? `expiries quoted that day: ${expirations.join(', ')}`
          : 'no quotes stored for that date'),
      'expiry',
      expirations.length > 0 ? 'ask for an expiry quoted that day' : 'import quotes for that date',
      AS_SENTENCE,
    );
  }
  const r = args.rate ?? snap?.rate?.r ?? DEFAULT_RATE;
  const q = args.yield ?? snap?.dividendYield?.q ?? DEFAULT_DIVIDEND_YIELD;
  const rateOrigin =
    args.rate !== undefined
      ? '--rate'
      : snap?.rate
        ? `embedded ${snap.rate.source} of ${snap.rate.asOf}`
        : 'default constant';
  const yieldOrigin =
    args.yield !== undefined
      ? '--yield'
      : snap?.dividendYield
        ? `embedded ${snap.dividendYield.source}`
        : 'default constant';
  const settle = settlementInstantUtcMs(chain.expiry, chain.settlement);
  const T = Math.max(0, yearFraction(chain.quoteTimeUtcMs, settle));
  const rows = Array.from(chain.strikes, (strike, i) => ({
    strike,
    call: side(chain, i, 'call', T, r, q),
    put: side(chain, i, 'put', T, r, q),
  }));
  return {
    asOf: chain.asOf,
    expiry: chain.expiry,
    root: chain.root,
    settlement: chain.settlement,
    quoteTimeUtc: new Date(chain.quoteTimeUtcMs).toISOString(),
    settlementUtc: new Date(settle).toISOString(),
    years: T,
    underlying: chain.underlying,
    source: chain.source,
    from,
    ...(regime ? { regime } : {}),
    rate: { value: r, origin: rateOrigin },
    dividendYield: { value: q, origin: yieldOrigin },
    rows,
  };
}
