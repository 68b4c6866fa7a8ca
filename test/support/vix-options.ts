import type { HedgeCallQuote, IsoDate, VixOptionSource } from '../../packages/core/src/index';

export interface FlatVixOptionsSpec {
  /** Listed expiries as of a date. */
  expirations: (asOf: IsoDate) => IsoDate[];
  /** Strike returned by callNearDelta. */
  strike: number;
  bid: number;
  ask: number;
  /** VRO of every expiry (undefined: unknown). */
  settlement?: number;
}

/** A VIX option source where every call has the same quote (0.50 delta, vega 3, IV 0.8): for engine tests. */
export function flatVixOptions(spec: FlatVixOptionsSpec): VixOptionSource {
  const quote = (expiry: IsoDate, strike: number): HedgeCallQuote => ({
    expiry,
    strike,
    bid: spec.bid,
    ask: spec.ask,
    mid: 0.5 * (spec.bid + spec.ask),
    delta: 0.5,
    vega: 3,
    future: spec.strike,
    iv: 0.8,
    source: { kind: 'modelled', model: 'fake', version: '0', inputs: {} },
  });
  return {
    expirations: spec.expirations,
    callNearDelta: (_asOf, e) => quote(e, spec.strike),
    call: (_asOf, e, k) => quote(e, k),
    settlement: () => spec.settlement,
  };
}
