import { basename } from 'node:path';
import type { ChainStore, ImportReport, LayoutSpec, QuoteChunk, QuoteChunkSource } from '@vixshield/chains';

/*
 * Bench-only: DuckDB's side of an import alone, through the store's public importer API. The chunks a
 * FastChainReader produced beforehand are replayed to ChainImporter.importChunks, so parsing costs
 * nothing in the measurement.
 */

/** Replays chunks a FastChainReader produced (none staged: every quote date new to the store). */
export function replayChunks(chunks: readonly QuoteChunk[]): QuoteChunkSource {
  let i = 0;
  const days = new Set<number>();
  let rows = 0;
  for (const c of chunks) {
    rows += c.n;
    for (let k = 0; k < c.n; k++) days.add(c.quoteDay[k]!);
  }
  return {
    next: () => chunks[i++] ?? null,
    release: () => undefined,
    close: () => undefined,
    stats: () => ({ rows, blankLines: 0, days, clustered: true }),
  };
}

/**
 * Inserts `chunks` that a FastChainReader produced from `path` beforehand (every row validated; the
 * chunks are not reused meanwhile), the way importCsv inserts them, without reading the file again:
 * what an import costs when parsing is free. Every quote date must be new to the store.
 */
export async function importPreparsed(
  store: ChainStore,
  path: string,
  spec: LayoutSpec,
  chunks: readonly QuoteChunk[],
  label: string = basename(path),
): Promise<ImportReport> {
  const stored = await store.importer.storedDayNumbers();
  if (chunks.some((c) => c.quoteDay.subarray(0, c.n).some((d) => stored.has(d))))
    throw new Error('importPreparsed: a quote date is already stored (use importCsv)');
  return store.importer.importChunks(replayChunks(chunks), spec.vendor, label);
}
