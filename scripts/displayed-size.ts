/**
 * The displayed size behind the liquidity limit sizing.maxContractsPerOrder (docs/decisions/0009):
 * on the real 2019-06-26 SPXW chain quoted at 15:45 ET (DataShop bid_size_1545 / ask_size_1545), for
 * every 5-wide vertical whose short strike is 0.5-2.5% out of the money, the size a seller can take at
 * once: min(bid size of the short, ask size of the long). Prints the quartiles per expiry.
 * Run: npx tsx scripts/displayed-size.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../data/real-chains/spxw-2019-06-26-datashop-1545.csv',
);
const WING = 5;

interface Quote {
  bidSize: number;
  askSize: number;
}

/** The q-quantile of sorted values by linear interpolation between order statistics (R type 6, as Python's statistics.quantiles). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length + 1) - 1;
  const lo = Math.max(0, Math.min(sorted.length - 1, Math.floor(pos)));
  const hi = Math.max(0, Math.min(sorted.length - 1, lo + 1));
  return sorted[lo]! + (pos - Math.floor(pos)) * (sorted[hi]! - sorted[lo]!);
}

const lines = readFileSync(FILE, 'utf8')
  .replace(/^\uFEFF/, '')
  .trim()
  .split('\n');
const head = lines[0]!.split(',');
const col = (name: string) => head.indexOf(name);
const byExpiry = new Map<string, { spot: number; quotes: Map<string, Quote> }>();
for (const line of lines.slice(1)) {
  const c = line.split(',');
  const expiry = c[col('expiration')]!;
  const spot = (Number(c[col('underlying_bid_1545')]) + Number(c[col('underlying_ask_1545')])) / 2;
  const e = byExpiry.get(expiry) ?? { spot, quotes: new Map<string, Quote>() };
  e.quotes.set(`${c[col('option_type')]}${Number(c[col('strike')])}`, {
    bidSize: Number(c[col('bid_size_1545')]),
    askSize: Number(c[col('ask_size_1545')]),
  });
  byExpiry.set(expiry, e);
}

console.log(
  'expiry      verticals  lower quartile  median  upper quartile  (min(short bid size, long ask size))',
);
for (const [expiry, { spot, quotes }] of [...byExpiry].sort()) {
  if (expiry <= '2019-06-26' || expiry > '2019-07-01') continue; // 2-3 DTE: the nearest after the day
  const sizes: number[] = [];
  for (const [key, q] of quotes) {
    const type = key[0]!;
    const strike = Number(key.slice(1));
    const m = strike / spot - 1;
    const otm = type === 'P' ? m >= -0.025 && m <= -0.005 : m >= 0.005 && m <= 0.025;
    if (!otm) continue;
    const wing = quotes.get(`${type}${type === 'P' ? strike - WING : strike + WING}`);
    if (wing) sizes.push(Math.min(q.bidSize, wing.askSize));
  }
  sizes.sort((a, b) => a - b);
  if (sizes.length === 0) continue;
  console.log(
    `${expiry}  ${String(sizes.length).padStart(9)}  ${quantile(sizes, 0.25).toFixed(0).padStart(14)}  ${quantile(sizes, 0.5).toFixed(0).padStart(6)}  ${quantile(sizes, 0.75).toFixed(0).padStart(14)}`,
  );
}
