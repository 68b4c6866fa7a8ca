import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnapshots, type IsoDate, type SnapshotInputs } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENTED_GAPS,
  importUserSeries,
  loadEmbeddedMarketData,
  type MarketData,
  type SeriesId,
} from '../src/index';
import { embedded } from './helpers/load';
import { standInIsTradingDay } from './helpers/stand-in-calendar';

const cal = standInIsTradingDay();

/**
 * One contract every series source passes: strictly increasing dates, only trading days (exchange
 * series), no silent gaps (every gap is documented or explained by a recorded quirk).
 */
interface Source {
  readonly name: string;
  readonly id: SeriesId;
  readonly md: () => MarketData;
  readonly onExchangeCalendar: boolean;
}

const sources: Source[] = (
  [
    ['spx', true],
    ['spxFred', true],
    ['vix', true],
    ['vix9d', true],
    ['vix3m', true],
    ['vix6m', true],
    ['vix1y', true],
    ['vvix', true],
    ['skew', true],
    ['bxm', true],
    ['vixFutures', true],
    ['dgs3mo', false],
    ['dff', false],
    ['shiller', false],
    ['fomc', false],
    ['cpi', false],
  ] as const
).map(([id, on]) => ({ name: `embedded ${id}`, id, md: embedded, onExchangeCalendar: on }));

// a user-extended source goes through the same contract
let userMd: MarketData | undefined;
function userExtended(): MarketData {
  if (!userMd) {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-contract-'));
    const file = join(dir, 'VIX_History.csv');
    // Cboe layout; 08/21/2026 overlaps the embedded data
    writeFileSync(
      file,
      'DATE,OPEN,HIGH,LOW,CLOSE\n08/21/2026,15.82,15.88,15.08,15.20\n08/24/2026,15.7,16.0,14.9,15.1\n08/25/2026,15.0,15.4,14.2,14.5\n',
    );
    importUserSeries({ dataDir: join(dir, 'data'), series: 'vix', file, mode: 'extend', isTradingDay: cal });
    userMd = loadEmbeddedMarketData({ dataDir: join(dir, 'data'), isTradingDay: cal });
  }
  return userMd;
}
sources.push({ name: 'user-extended vix', id: 'vix', md: userExtended, onExchangeCalendar: true });

function datesOf(md: MarketData, id: SeriesId): IsoDate[] {
  const d = md.data;
  if (id === 'shiller') return d.shiller.map((r) => r.month);
  if (id === 'fomc' || id === 'cpi') return [...d[id]];
  return (d[id] as readonly { date: IsoDate }[]).map((r) => r.date);
}

describe.each(sources)('series contract: $name', (src) => {
  it('has rows and strictly increasing dates', () => {
    const ds = datesOf(src.md(), src.id);
    expect(ds.length).toBeGreaterThan(50);
    const bad = ds.filter((d, i) => i > 0 && !(d > ds[i - 1]!));
    expect(bad).toEqual([]);
  });

  it('has rows on trading days only (exchange series)', () => {
    if (!src.onExchangeCalendar) return;
    const off = datesOf(src.md(), src.id).filter((d) => !cal(d));
    expect(off).toEqual([]);
  });

  it('has no silent gaps: every missing trading day is documented or recorded', () => {
    const md = src.md();
    const info = md.series.find((s) => s.id === src.id)!;
    expect(info.rows).toBe(datesOf(md, src.id).length);
    if (info.gaps === null) {
      expect(src.onExchangeCalendar).toBe(false);
      return;
    }
    if (src.id === 'dgs3mo') {
      // every gap is a FRED-empty (bond holiday) row recorded in the load report
      const recorded = new Set(
        md.loadReport.quirks
          .filter((q) => q.series === 'dgs3mo' && q.rule === 'fred-empty-is-holiday')
          .flatMap((q) => q.dates),
      );
      expect(info.gaps.filter((g) => !recorded.has(g))).toEqual([]);
      return;
    }
    const documented = new Set(DOCUMENTED_GAPS[src.id] ?? []);
    expect(info.gaps.filter((g) => !documented.has(g))).toEqual([]);
  });
});

describe('user-extended source', () => {
  it('merges user rows over embedded ones and reports the overlap', () => {
    const md = userExtended();
    expect(md.byDate('2026-08-24' as IsoDate)).toBeUndefined(); // no SPX that day: no snapshot
    const vix = md.data.vix;
    expect(vix.at(-1)).toEqual({ date: '2026-08-25', value: 14.5 });
    expect(vix.find((p) => p.date === '2026-08-21')!.value).toBe(15.2); // user wins (embedded 15.13)
    const q = md.loadReport.quirks.find((x) => x.series === 'vix' && x.rule === 'user-rows-win')!;
    expect(q.dates).toEqual(['2026-08-21']);
    expect(md.series.find((s) => s.id === 'vix')!.origin).toBe('embedded+user');
  });
});

describe('known-at: no value dated after the snapshot date is used', () => {
  it('rates are from strictly earlier observations, dividends known by the date, futures from the date', () => {
    const md = embedded();
    let rated = 0;
    for (const s of md.snapshots) {
      if (s.rate) {
        expect(s.rate.asOf < s.date).toBe(true);
        rated++;
      }
      if (s.dividendYield) {
        expect(s.dividendYield.knownFrom <= s.date).toBe(true);
        expect(s.dividendYield.asOf < s.date.slice(0, 7)).toBe(true); // the observation month has ended
      }
      if (s.vixFutures) expect(s.vixFutures.asOf).toBe(s.date);
    }
    expect(rated).toBe(md.snapshots.length);
  });

  it('poisoning every value after a cut-off leaves earlier snapshots unchanged', () => {
    const md = embedded();
    const d = md.data;
    const cut = '2019-06-03';
    const poisonV = <T extends { date: IsoDate; value: number }>(xs: readonly T[]) =>
      xs.map((x) => (x.date > cut ? { ...x, value: x.value * 1000 } : x));
    const inputs: SnapshotInputs = {
      spx: d.spx,
      vix: d.vix,
      vix9d: d.vix9d,
      vix3m: d.vix3m,
      vix6m: d.vix6m,
      vix1y: d.vix1y,
      vvix: d.vvix,
      skew: d.skew,
      vixFutures: d.vixFutures,
      dgs3mo: d.dgs3mo,
      dff: d.dff,
      dividends: d.shiller,
      fomcDates: d.fomc,
      cpiDates: d.cpi,
    };
    const poisoned: SnapshotInputs = {
      ...inputs,
      spx: d.spx.map((b) => (b.date > cut ? { ...b, close: b.close * 1000 } : b)),
      vix: poisonV(d.vix),
      vix9d: poisonV(d.vix9d),
      dgs3mo: poisonV(d.dgs3mo),
      dff: poisonV(d.dff),
      dividends: d.shiller.map((r) => (r.month > cut ? { ...r, dividend: r.dividend * 1000 } : r)),
    };
    const a = buildSnapshots(inputs).filter((s) => s.date <= cut);
    const b = buildSnapshots(poisoned).filter((s) => s.date <= cut);
    expect(a.length).toBeGreaterThan(7000);
    expect(b).toEqual(a);
    // and the poison did reach later snapshots
    expect(buildSnapshots(poisoned).find((s) => s.date === '2019-06-04')!.spx.close).toBeGreaterThan(1e6);
  });
});
