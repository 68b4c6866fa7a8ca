import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OptionChain } from '@vixshield/core';
import { groupIntoChains } from './group';
import { type ParsedChainFile, parseDataShop, parseHistoricalOptionData } from './parse';

/** The repository's data/ folder (this file is packages/chains/src/embedded.ts). */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data');

/** File names of the embedded SPX option files (byte-identical copies of shared/data). */
export const EMBEDDED_HOD_FILE = 'spx-options-eod-2018-01-02_historicaloptiondata-format.csv';
export const EMBEDDED_DATASHOP_FILE = 'spx-options-cboe-datashop-format-sample.csv';

/** First and last quote dates of the embedded HistoricalOptionData file. */
export const EMBEDDED_HOD_FIRST = '2018-01-02';
export const EMBEDDED_HOD_LAST = '2018-02-28';

let hodCache: ParsedChainFile | undefined;

/** The embedded 2018 SPXW file (SPXW 2018-01-31 and 2018-02-28 expiries, 2018-01-02..2018-02-28), parsed once. */
export function loadEmbeddedHod(): ParsedChainFile {
  if (hodCache === undefined) {
    hodCache = parseHistoricalOptionData(
      readFileSync(resolve(DATA_DIR, EMBEDDED_HOD_FILE), 'utf8'),
      EMBEDDED_HOD_FILE,
    );
  }
  return hodCache;
}

/** The embedded 6-row Cboe DataShop format sample. */
export function loadEmbeddedDataShop(): ParsedChainFile {
  return parseDataShop(
    readFileSync(resolve(DATA_DIR, EMBEDDED_DATASHOP_FILE), 'utf8'),
    EMBEDDED_DATASHOP_FILE,
  );
}

/** Chains of the embedded 2018 file, source { kind: 'real', vendor: 'HistoricalOptionData', file }. */
export function embeddedHodChains(): OptionChain[] {
  const p = loadEmbeddedHod();
  return groupIntoChains(p.rows, { kind: 'real', vendor: p.vendor, file: p.file });
}
