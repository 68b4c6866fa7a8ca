import type {
  BacktestResult,
  CondorTrade,
  EquityPoint,
  HedgeTrade,
  IsoDate,
  RollChain,
  Tier,
} from '../../src/index';
import { addDays, weekdayOf } from '../../src/index';

/** Consecutive weekdays starting at `start` (holidays ignored: fixtures only need increasing dates). */
export function weekdays(start: string, n: number): IsoDate[] {
  const out: IsoDate[] = [];
  let d = start as IsoDate;
  while (out.length < n) {
    const w = weekdayOf(d);
    if (w !== 0 && w !== 6) out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

export interface PointInput {
  date: IsoDate;
  equity: number;
  spx?: number;
  vix?: number;
  condorValue?: number;
  marginUsed?: number;
  hedgeValue?: number;
  hedgePnlToDate?: number;
}

export function point(p: PointInput): EquityPoint {
  return {
    date: p.date,
    equity: p.equity,
    cash: p.equity - (p.condorValue ?? 0) - (p.hedgeValue ?? 0),
    condorValue: p.condorValue ?? 0,
    hedgeValue: p.hedgeValue ?? 0,
    marginUsed: p.marginUsed ?? 0,
    spx: p.spx ?? 5000,
    vix: p.vix ?? 16,
    hedgePnlToDate: p.hedgePnlToDate ?? 0,
    interestToDate: 0,
  };
}

export function trade(
  id: string,
  pnl: number,
  opts: { tier?: Tier; vix?: number; closedOn?: string; openedOn?: string; exit?: CondorTrade['exit'] } = {},
): CondorTrade {
  const closedOn = (opts.closedOn ?? '2024-01-03') as IsoDate;
  return {
    id,
    chainId: `chain-${id}`,
    tier: opts.tier ?? 'conservative',
    openedOn: (opts.openedOn ?? closedOn) as IsoDate,
    closedOn,
    expiry: closedOn,
    strikes: { putLong: 4900, putShort: 4950, callShort: 5050, callLong: 5100 },
    quantity: 1,
    entryCredit: 1,
    exitDebit: 1 - pnl / 100,
    exit: opts.exit ?? 'expired',
    pnl,
    fees: 0,
    vixAtEntry: opts.vix ?? 16,
    rollsInChainBefore: 0,
  };
}

export function chain(
  chainId: string,
  rolls: number,
  rollCredits: number,
  pnl: number,
  closed = true,
): RollChain {
  return {
    chainId,
    openedOn: '2024-01-02' as IsoDate,
    closedOn: closed ? ('2024-01-05' as IsoDate) : null,
    rolls,
    rollCredits,
    pnl,
    recovered: rolls > 0 && pnl >= 0,
  };
}

export function result(
  initialEquity: number,
  equity: readonly EquityPoint[],
  extra: {
    trades?: CondorTrade[];
    hedgeTrades?: HedgeTrade[];
    chains?: RollChain[];
    pricesSource?: BacktestResult['pricesSource'];
  } = {},
): BacktestResult {
  return {
    from: (equity[0]?.date ?? '2024-01-02') as IsoDate,
    to: (equity[equity.length - 1]?.date ?? '2024-01-02') as IsoDate,
    initialEquity,
    equity,
    trades: extra.trades ?? [],
    hedgeTrades: extra.hedgeTrades ?? [],
    chains: extra.chains ?? [],
    rejected: [],
    pricesSource: extra.pricesSource ?? { kind: 'modelled', detail: 'test fixture' },
    assumptions: ['fixture'],
  };
}

/** A result whose equity curve has exactly the given daily returns from `initialEquity`. */
export function fromReturns(
  initialEquity: number,
  returns: readonly number[],
  start = '2024-01-02',
): BacktestResult {
  const dates = weekdays(start, returns.length);
  let v = initialEquity;
  const pts = returns.map((r, i) => {
    v *= 1 + r;
    return point({ date: dates[i] as IsoDate, equity: v });
  });
  return result(initialEquity, pts);
}

/** Independent, deliberately naive reference implementations for cross-checks. */
export const naive = {
  sharpe(returns: readonly number[]): number {
    const n = returns.length;
    const m = returns.reduce((a, b) => a + b, 0) / n;
    const v = returns.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    return (m / Math.sqrt(v)) * Math.sqrt(252);
  },
  sortino(returns: readonly number[]): number {
    const n = returns.length;
    const m = returns.reduce((a, b) => a + b, 0) / n;
    const d = Math.sqrt(returns.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / n);
    return (m / d) * Math.sqrt(252);
  },
  /** O(n^2): the largest fall from any earlier value. */
  maxDrawdown(values: readonly number[]): number {
    let best = 0;
    for (let j = 0; j < values.length; j++) {
      for (let i = 0; i <= j; i++) {
        const dd = 1 - (values[j] as number) / (values[i] as number);
        if (dd > best) best = dd;
      }
    }
    return best;
  },
};

/** Walks an object and collects every number that is NaN or infinite, with its path. */
export function nonFinite(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [`${path}=${x}`];
  if (Array.isArray(x)) return x.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (x !== null && typeof x === 'object') {
    return Object.entries(x).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  }
  return [];
}
