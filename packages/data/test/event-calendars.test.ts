import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { embeddedPorts, exchangeIsTradingDay, loadEmbeddedMarketData, runDataUpdate } from '../src/index';
import { dataDirWithStoredExtra } from './helpers/stored-extra';

const cal = exchangeIsTradingDay;
const d = (s: string) => s as IsoDate;

/**
 * The event calendars `data update` keeps (from --from-dir or VIXSHIELD_EVENTS_URL) are read by the
 * engine over the embedded ones: the embedded payrolls calendar ends with the 2026-10-02 release, so
 * without them every later payrolls day is "unknown" to the event rule. The calendar below is made up
 * for the test (plausible first Fridays, one release moved) — no BLS schedule after 2026-10 is in the
 * repository.
 */
describe('stored event calendars extend the embedded ones', () => {
  const embedded = loadEmbeddedMarketData({ isTradingDay: cal });

  it('through data update: later releases become known, a moved release moves', async () => {
    const fromDir = mkdtempSync(join(tmpdir(), 'vixshield-events-'));
    writeFileSync(
      join(fromDir, 'payrolls-release-dates.csv'),
      'reference_month,release_date\n2026-08,2026-09-04\n2026-09,2026-10-09\n2026-10,2026-11-06\n2026-11,2026-12-04\n',
    );
    const dataDir = join(fromDir, 'data');
    const r = await runDataUpdate({
      dataDir,
      fromDir,
      to: d('2026-08-21'),
      nowUtcMs: Date.UTC(2026, 7, 22),
      isTradingDay: cal,
      only: ['payrolls'],
    });
    expect(r.series).toEqual([expect.objectContaining({ id: 'payrolls', use: 'engine' })]);
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    const flags = (m: typeof md, x: string) => embeddedPorts(m).events!.flagsOn(d(x)).payrolls;

    // embedded alone: known to 2026-10-02, unknown after
    expect(flags(embedded, '2026-10-02')).toBe(true);
    expect(flags(embedded, '2026-12-04')).toBeNull();
    // with the stored calendar: known to its last release, its dates win inside its span
    expect(flags(md, '2026-12-04')).toBe(true);
    expect(flags(md, '2026-11-06')).toBe(true);
    expect(flags(md, '2026-11-13')).toBe(false);
    expect(flags(md, '2026-10-02')).toBe(false); // moved to 10-09 in this file
    expect(flags(md, '2026-10-09')).toBe(true);
    expect(flags(md, '2026-12-11')).toBeNull(); // after its last release: unknown again
    expect(flags(md, '2026-08-07')).toBe(true); // before its span: the embedded calendar
    expect(md.series.find((s) => s.id === 'payrolls')).toMatchObject({
      last: '2026-12-04',
      origin: 'embedded+user',
    });
    const cov = md.data.eventCoverage.find((e) => e.kind === 'payrolls')!;
    expect(cov.to).toBe('2026-12-04');
    expect(cov.source).toMatch(/payrolls\.\d+\.csv/);
    // the other kinds keep the embedded coverage
    expect(md.data.eventCoverage.find((e) => e.kind === 'cpi')).toEqual(
      embedded.data.eventCoverage.find((e) => e.kind === 'cpi'),
    );
  });

  it('an unscheduled FOMC decision in a stored calendar stays out of the forward calendar', () => {
    // after the embedded schedule (the Fed's tentative one runs to the 2028-01-26 decision)
    const dataDir = dataDirWithStoredExtra(
      'fomc',
      'decision_date,meeting_start,type,source\n2028-03-15,2028-03-14,scheduled,test\n2028-04-05,2028-04-05,unscheduled,test\n2028-05-03,2028-05-02,scheduled,test\n',
    );
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(md.data.fomcUnscheduled).toContain('2028-04-05');
    const events = embeddedPorts(md).events!;
    expect(events.flagsOn(d('2028-03-15')).fomc).toBe(true);
    expect(events.flagsOn(d('2028-04-05')).fomc).toBe(false); // not published ahead
    expect(events.flagsOn(d('2028-05-03')).fomc).toBe(true);
    expect(events.flagsOn(d('2028-05-04')).fomc).toBeNull();
    const alone = embeddedPorts(embedded).events!;
    expect(alone.flagsOn(d('2028-03-15')).fomc).toBeNull();
    // the embedded tentative 2027 schedule (data/fomc-decision-dates-2027-tentative.csv)
    expect(alone.flagsOn(d('2027-01-27')).fomc).toBe(true);
    expect(alone.flagsOn(d('2027-12-08')).fomc).toBe(true);
    expect(alone.flagsOn(d('2027-12-09')).fomc).toBe(false);
    expect(alone.flagsOn(d('2028-01-26')).fomc).toBe(true);
    expect(alone.flagsOn(d('2028-01-27')).fomc).toBeNull();
  });
});
