import type { IsoDate } from '../../domain/index';
import type { PriceSource } from '../../market/index';

/** One VIX call as a source quotes it (VIX points; x100 per contract). */
export interface HedgeCallQuote {
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  /** Black-76 delta on the VX future of the same expiry. */
  readonly delta: number;
  /** Vega per 1.00 of vol (VIX points). */
  readonly vega: number;
  /** The VX future of the expiry. */
  readonly future: number;
  readonly iv: number;
  readonly source: PriceSource;
}

/**
 * The port the ALVH hedge reads VIX options through (real quotes or the VX/VVIX model), as known at
 * the session instant of `asOf`.
 */
export interface VixOptionSource {
  /** VIX option expiries listed on `asOf`, ascending. */
  expirations(asOf: IsoDate): readonly IsoDate[];
  /** The listed call nearest to |delta| = targetDelta, or undefined when no quote. */
  callNearDelta(asOf: IsoDate, expiry: IsoDate, targetDelta: number): HedgeCallQuote | undefined;
  /** A listed call by strike (to mark or close a position). */
  call(asOf: IsoDate, expiry: IsoDate, strike: number): HedgeCallQuote | undefined;
  /** VIX option settlement (the VRO; approximated by the VIX open on expiry day by the data adapter). */
  settlement(expiry: IsoDate): number | undefined;
}
