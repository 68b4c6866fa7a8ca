import { describe, expect, it } from 'vitest';
import { syntheticChain, syntheticChainSource } from '../../../../test/support/chains';
import { flatVixOptions } from '../../../../test/support/vix-options';
import {
  type CondorPosition,
  DEFAULT_MAX_CONTRACTS_PER_ORDER,
  DEFAULT_SOURCES,
  type EnginePorts,
  eventCalendarOf,
  INITIAL_ENGINE_STATE,
  INITIAL_GATE_STATE,
  type IsoDate,
  ironCondorCommand,
  NOTHING_HELD,
  resolveConfig,
  StrategyConfigError,
  step,
  zonedTimeToUtcMs,
} from '../../src/index';

/**
 * The liquidity limit sizing.maxContractsPerOrder (ADR 0009): an entry or roll order never has more
 * condors than the limit, whatever the equity allows, and the reason says when the limit binds.
 */
const d = (s: string) => s as IsoDate;
const chain = syntheticChain({
  asOf: '2024-06-04',
  expiry: '2024-06-05',
  spot: 5000,
  atmVol: 0.14,
  skewSlope: -1.2,
  halfSpread: 0.15,
  halfWidth: 120,
});
const entry = (equity: number, capUsd: number) => ({
  date: d('2024-06-04'),
  spx: 5000,
  vix: 14,
  vix9d: 13,
  hv20: 12,
  held: NOTHING_HELD,
  r: 0.05,
  q: 0.013,
  equity,
  execution: { fillShare: 0.5, feesPerCondorUsd: 5.32 },
  book: { capUsd, committedUsd: 0, note: '' },
});

describe('sizing.maxContractsPerOrder: the liquidity limit', () => {
  it('is in the config schema with a default, a source and a range', () => {
    expect(resolveConfig('vixshield').sizing.maxContractsPerOrder).toBe(DEFAULT_MAX_CONTRACTS_PER_ORDER);
    expect(DEFAULT_MAX_CONTRACTS_PER_ORDER).toBe(50);
    expect(DEFAULT_SOURCES['sizing.maxContractsPerOrder']).toMatch(/ADR 0009/);
    expect(
      resolveConfig('vixshield', { sizing: { maxContractsPerOrder: 10 } }).sizing.maxContractsPerOrder,
    ).toBe(10);
    for (const bad of [0, -5, 2.5, 10_001, 1e308])
      expect(() => resolveConfig('vixshield', { sizing: { maxContractsPerOrder: bad } })).toThrow(
        StrategyConfigError,
      );
    expect(() => resolveConfig('vixshield', { sizing: { maxContractsPerOrder: 0 } })).toThrow(
      /sizing\.maxContractsPerOrder/,
    );
  });

  it('a 10 M USD account: the risk sizing allows thousands of condors; the order is capped at 50 and the reason says so', () => {
    const cfg = resolveConfig('vixshield');
    const equity = 10_000_000;
    const dec = ironCondorCommand(
      entry(equity, 0.1 * equity),
      chain,
      d('2024-06-05'),
      cfg,
      INITIAL_GATE_STATE,
    );
    const t = dec.tiers.find((x) => x.tier === 'conservative')!;
    expect(t.ok).toBe(true);
    // By hand: 10% of 10 M over the max loss per condor (about 430 USD for a 5-wide at 0.70).
    const byRisk = Math.floor((0.1 * equity) / t.maxLossUsdPerCondor! + 1e-9);
    expect(byRisk).toBeGreaterThan(2000);
    expect(t.contractsByRisk).toBe(byRisk);
    expect(t.contracts).toBe(50);
    expect(t.reason).toContain(
      `capped at 50 condors by the liquidity limit sizing.maxContractsPerOrder (the risk sizing allows ${byRisk}`,
    );
    const open = dec.intents.find((i) => i.kind === 'open')!;
    expect(open.kind === 'open' && open.quantity).toBe(50);
    expect(open.reason).toContain('liquidity limit sizing.maxContractsPerOrder');
    expect(open.cause.inputs).toMatchObject({
      contracts: 50,
      contractsByRisk: byRisk,
      maxContractsPerOrder: 50,
      limitedBy: 'liquidity',
    });
  });

  it('a 100,000 USD account is sized by risk alone: the limit does not bind and is not mentioned', () => {
    const cfg = resolveConfig('vixshield');
    const dec = ironCondorCommand(entry(100_000, 10_000), chain, d('2024-06-05'), cfg, INITIAL_GATE_STATE);
    const t = dec.tiers.find((x) => x.tier === 'conservative')!;
    expect(t.contracts).toBe(Math.floor(10_000 / t.maxLossUsdPerCondor! + 1e-9));
    expect(t.contracts).toBeLessThan(50);
    expect(t.contractsByRisk).toBeUndefined();
    expect(t.reason).not.toContain('liquidity');
    expect(dec.intents[0]!.cause.inputs).toMatchObject({ limitedBy: 'risk' });
  });

  it('a configured limit of 7 binds on a 100,000 USD account (about 23 condors by risk)', () => {
    const cfg = resolveConfig('vixshield', { sizing: { maxContractsPerOrder: 7 } });
    const dec = ironCondorCommand(entry(100_000, 10_000), chain, d('2024-06-05'), cfg, INITIAL_GATE_STATE);
    const t = dec.tiers.find((x) => x.tier === 'conservative')!;
    expect(t.contracts).toBe(7);
    expect(t.contractsByRisk).toBeGreaterThan(7);
    expect(t.reason).toMatch(/capped at 7 condors by the liquidity limit/);
  });

  it('a roll order is capped too: a threatened 80-condor position rolls 50, the reason names the limit', () => {
    const today = d('2024-06-14');
    const calendar = eventCalendarOf({ fomc: [], cpi: [], ppi: [], payrolls: [] });
    const chains = syntheticChainSource({ spotOf: () => 5000, atmVol: 0.175 });
    const vixOptions = flatVixOptions({
      expirations: () => [d('2024-07-17')],
      strike: 14,
      bid: 1.4,
      ask: 1.5,
    });
    const ports: EnginePorts = { chains, vixOptions, events: calendar };
    // The same threatened condor as issue 15 case 2 (SPX 5000 just under the 5004 short put at expiry).
    const threatened: CondorPosition = {
      id: 'c137',
      chainId: 'c137',
      tier: 'conservative',
      expiry: today,
      root: 'SPXW',
      settlement: 'PM',
      strikes: { putLong: 4999, putShort: 5004, callShort: 5120, callLong: 5125 },
      quantity: 80,
      openedOn: d('2024-06-13'),
      entryCredit: 0.7,
      rollsInChain: 0,
      chainRealisedPnl: 0,
    };
    const market = {
      spx: 5000,
      vwapApprox: 5003,
      vix: 17.5,
      vix9d: null,
      hv20: null,
      vix5dAverage: null,
      vixZScore: null,
      events: { fomc: false, cpi: false, ppi: false, payrolls: false },
      r: 0.05,
      q: 0.013,
    };
    const session = {
      kind: 'session' as const,
      date: today,
      instantUtcMs: zonedTimeToUtcMs(today, '15:10', 'America/Chicago'),
      market,
      book: { condors: [threatened], hedges: [] },
      // Equity large enough that the book cap allows all 80: only the liquidity limit binds.
      equity: 5_000_000,
    };
    const cfg = resolveConfig('vixshield', { hedge: { enabled: false } });
    const res = step(INITIAL_ENGINE_STATE, session, ports, cfg);
    const roll = res.intents.find((i) => i.kind === 'roll');
    expect(roll).toBeDefined();
    if (roll?.kind !== 'roll') return;
    expect(roll.quantity).toBe(50);
    expect(roll.reason).toMatch(
      /c137: roll reduced from 80 to 50 condor\(s\) by the liquidity limit sizing\.maxContractsPerOrder 50/,
    );
    expect(roll.reason).not.toContain('book cap');
    // Uncapped (limit 10,000) the same roll keeps all 80.
    const wide = resolveConfig('vixshield', {
      hedge: { enabled: false },
      sizing: { maxContractsPerOrder: 10_000 },
    });
    const free = step(INITIAL_ENGINE_STATE, session, ports, wide).intents.find((i) => i.kind === 'roll');
    expect(free?.kind === 'roll' && free.quantity).toBe(80);
  });
});
