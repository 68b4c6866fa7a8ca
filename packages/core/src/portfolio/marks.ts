import type { OpenCondor, OpenHedge, Portfolio } from './portfolio';

/** Where marks come from: the session's quotes (undefined = no quote now, keep the last mark). */
export interface MarkSource {
  /** Cost to close the condor at mid, points per condor. */
  condorMid(p: OpenCondor): number | undefined;
  /** Mid of the VIX call, points per contract. */
  hedgeMid(h: OpenHedge): number | undefined;
}

/** Marks every open position to the session's quotes; a missing quote keeps the last mark. */
export function markToMarket(portfolio: Portfolio, source: MarkSource): void {
  for (const p of portfolio.openCondors) {
    const mid = source.condorMid(p);
    if (mid !== undefined) portfolio.markCondor(p, mid);
  }
  portfolio.markHedges((h) => source.hedgeMid(h));
}
