import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ProviderError } from '@vixshield/data';
import type { LayoutSpec } from '../layouts';
import { parseChainCsv, quoteInstantUtcMs } from '../parse';
import type { ChainProvider } from './types';
import { checkSnapshot } from './validate';

/**
 * A chain file in any layout the chain importer knows (HistoricalOptionData, Cboe DataShop, a column
 * map), read by its row parser (every value validated), taken as one snapshot: all rows must share
 * one quote date and time (a multi-day file is an import: `vixshield chains import`). Delay: what the
 * user says (`--delay`, default 0). No staleness check (a file is as old as it is).
 */
export function fileChainProvider(opts: {
  file: string;
  spec: LayoutSpec;
  delaySeconds?: number;
}): ChainProvider {
  const hint = 'check the file and its --layout';
  const fail = (r: string) => new ProviderError(`chain file (${opts.spec.layout})`, opts.file, r, hint);
  return {
    id: 'file',
    delaySeconds: opts.delaySeconds ?? 0,
    describe: opts.file,
    async snapshot(nowUtcMs) {
      const parsed = parseChainCsv(readFileSync(opts.file, 'utf8'), basename(opts.file), opts.spec);
      const stamps = new Set(parsed.rows.map((r) => `${r.quoteDate} ${r.quoteTimeEt ?? 'close'}`));
      if (stamps.size !== 1) {
        throw fail(
          `holds ${stamps.size} quote instants (${[...stamps].slice(0, 3).join(', ')}${stamps.size > 3 ? ', ...' : ''}); a snapshot is one instant: import it with 'vixshield chains import'`,
        );
      }
      const first = parsed.rows[0]!;
      const s = {
        provider: 'file' as const,
        vendor: opts.spec.vendor,
        source: opts.file,
        quoteTimeUtcMs: quoteInstantUtcMs(first.quoteDate, first.quoteTimeEt),
        publishedUtcMs: null,
        delaySeconds: opts.delaySeconds ?? 0,
        underlyingPrice: first.underlyingPrice,
        rows: parsed.rows,
      };
      checkSnapshot(s, Math.max(nowUtcMs, s.quoteTimeUtcMs), Number.POSITIVE_INFINITY, fail);
      return s;
    },
  };
}
