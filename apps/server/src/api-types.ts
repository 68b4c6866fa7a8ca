/*
 * Shapes of the HTTP API's JSON that the dashboard reads too. Types only and no imports: the dashboard
 * imports this file as `@vixshield/server/api-types` with `import type`, so its type check (DOM types,
 * no Node) compiles this file and nothing else of the server.
 */

/** The fields of a stored signal the history lists (the whole signal: GET /api/signal with its date and preset). */
export interface StoredSignalSummary {
  date: string;
  preset: string;
  revision: number;
  createdAt: string;
  equity: number | null;
  vix: number | null;
  gate: string | null;
  skip: boolean | null;
  skipReason: string | null;
  chosenTier: string | null;
  contracts: number | null;
  creditFill: number | null;
  hedgeActions: number;
}
