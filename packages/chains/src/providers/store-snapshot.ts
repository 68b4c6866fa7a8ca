import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LayoutSpec, LayoutSpecSchema } from '../layouts';
import type { ChainQuoteRow } from '../row';
import type { ChainStore, ImportReport } from '../store';
import type { ChainSnapshot } from './types';
import { quoteStamp } from './validate';

/**
 * The layout snapshots are written in before the chain store's importer reads them back: every
 * normalised field as a column, theta per year, vega per 1.00 of vol. Going through the importer
 * keeps one validation path and its all-or-nothing transaction.
 */
export function snapshotLayout(vendor: string): LayoutSpec {
  return LayoutSpecSchema.parse({
    layout: 'snapshot',
    vendor,
    columns: {
      quoteDate: 'quote_date',
      quoteTime: 'quote_time_et',
      optionSymbol: 'option',
      expiry: 'expiry',
      strike: 'strike',
      right: 'right',
      bid: 'bid',
      ask: 'ask',
      last: 'last',
      volume: 'volume',
      openInterest: 'open_interest',
      underlyingPrice: 'underlying_price',
      iv: 'iv',
      delta: 'delta',
      gamma: 'gamma',
      theta: 'theta_per_year',
      vega: 'vega',
    },
    dateFormat: 'YYYY-MM-DD',
    thetaPer: 'year',
  });
}

const cell = (v: number): string => (Number.isNaN(v) ? '' : String(v));

function osiOf(r: ChainQuoteRow): string {
  const ymd = `${r.expiry.slice(2, 4)}${r.expiry.slice(5, 7)}${r.expiry.slice(8, 10)}`;
  return `${r.root}${ymd}${r.right === 'call' ? 'C' : 'P'}${String(Math.round(r.strike * 1000)).padStart(8, '0')}`;
}

/** The snapshot's rows as a CSV in snapshotLayout. */
export function snapshotCsv(rows: readonly ChainQuoteRow[]): string {
  const head =
    'quote_date,quote_time_et,option,expiry,strike,right,bid,ask,last,volume,open_interest,underlying_price,iv,delta,gamma,theta_per_year,vega';
  const lines = rows.map((r) =>
    [
      r.quoteDate,
      r.quoteTimeEt ?? '',
      osiOf(r),
      r.expiry,
      r.strike,
      r.right,
      cell(r.bid),
      cell(r.ask),
      cell(r.last),
      cell(r.volume),
      cell(r.openInterest),
      cell(r.underlyingPrice),
      cell(r.vendorIv),
      cell(r.vendorDelta),
      cell(r.vendorGamma),
      cell(r.vendorTheta),
      cell(r.vendorVega),
    ].join(','),
  );
  return `${head}\n${lines.join('\n')}\n`;
}

/** The source label a snapshot's rows carry: `<provider> <quote date> <HH:MM> ET`. */
export function snapshotLabel(s: ChainSnapshot): string {
  const { date, hhmm } = quoteStamp(s.quoteTimeUtcMs);
  return `${s.provider} ${date} ${hhmm} ET`;
}

export interface StoredSnapshotReport {
  readonly label: string;
  readonly import: ImportReport;
}

/**
 * Stores a validated snapshot: its metadata first, then its rows through the importer (one
 * transaction: all rows or none; re-imported keys of the same quote date are replaced). A process
 * killed in between leaves metadata whose source has no rows, which `ChainStore.snapshots` reports
 * with liveRows 0 (never a snapshot with part of its rows). A failed import removes the metadata.
 * `beforeImport` is a test seam.
 */
export async function storeSnapshot(
  store: ChainStore,
  s: ChainSnapshot,
  takenUtcMs: number,
  beforeImport?: () => void,
): Promise<StoredSnapshotReport> {
  const label = snapshotLabel(s);
  const dir = mkdtempSync(join(tmpdir(), 'vixshield-snapshot-'));
  const file = join(dir, 'snapshot.csv');
  try {
    writeFileSync(file, snapshotCsv(s.rows));
    await store.recordSnapshot({
      vendor: s.vendor,
      sourceFile: label,
      provider: s.provider,
      quoteDate: quoteStamp(s.quoteTimeUtcMs).date,
      quoteUtcMs: s.quoteTimeUtcMs,
      delaySeconds: s.delaySeconds,
      publishedUtcMs: s.publishedUtcMs,
      takenUtcMs,
      sourceUrl: s.source,
      underlyingPrice: s.underlyingPrice,
      rows: s.rows.length,
    });
    beforeImport?.();
    try {
      // Provider quotes were checked by the provider parser; a momentarily crossed quote stays, flagged
      // (decision 0003: one crossed far-OTM quote must not lose a live snapshot).
      const report = await store.importer.importCsv(file, snapshotLayout(s.vendor), {
        label,
        allowCrossed: true,
      });
      return { label, import: report };
    } catch (err) {
      await store.forgetSnapshot(s.vendor, label);
      throw err;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
