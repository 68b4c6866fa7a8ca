import type { IsoDate } from '../../domain/index';
import type { OptionChain } from '../../market/index';
import type { StrategyConfig } from '../config';
import { chainContext } from '../iron-condor/chain-analytics';
import { isUnpriceable, priceCondor } from '../iron-condor/condor';
import type { CondorPosition, Intent } from '../types';

export interface ExitInputs {
  readonly date: IsoDate;
  readonly spx: number;
  readonly r: number;
  readonly q: number;
  readonly chainFor: (expiry: IsoDate) => OptionChain | undefined;
}

/**
 * Exit policies (M§1, R10-R11), checked at each session for condors that do not expire that day (with
 * daily data a 1DTE condor is only seen again after it has settled, so exits act on rolled, multi-day
 * chains):
 * - hold: hold to expiry (default);
 * - strike-itm: close when a short strike is at least `itmFractionOfWidth` of the wing width in the money;
 * - credit-multiple: close when the cost to close reaches `creditMultiple` x the entry credit.
 */
export function exitDecision(
  p: CondorPosition,
  inp: ExitInputs,
  exits: StrategyConfig['exits'],
): Intent | null {
  if (exits.policy === 'hold' || p.expiry <= inp.date) return null;
  if (exits.policy === 'strike-itm') {
    const putWidth = p.strikes.putShort - p.strikes.putLong;
    const callWidth = p.strikes.callLong - p.strikes.callShort;
    const putItm = p.strikes.putShort - inp.spx;
    const callItm = inp.spx - p.strikes.callShort;
    const hit =
      putItm >= exits.itmFractionOfWidth * putWidth || callItm >= exits.itmFractionOfWidth * callWidth;
    if (!hit) return null;
    const reason = `exit ${p.id}: SPX ${inp.spx.toFixed(2)} puts a short strike ${(Math.max(putItm, callItm)).toFixed(1)} pts in the money (>= ${exits.itmFractionOfWidth} x width)`;
    return {
      kind: 'close',
      positionId: p.id,
      reason,
      cause: {
        rule: 'exit-strike-itm',
        inputs: {
          spx: inp.spx,
          putShort: p.strikes.putShort,
          callShort: p.strikes.callShort,
          fraction: exits.itmFractionOfWidth,
        },
      },
    };
  }
  const chain = inp.chainFor(p.expiry);
  if (!chain) return null;
  const q = priceCondor(chainContext(chain, inp.r, inp.q), p.strikes);
  if (isUnpriceable(q)) return null;
  if (q.creditMid < exits.creditMultiple * p.entryCredit) return null;
  const reason = `exit ${p.id}: cost to close ${q.creditMid.toFixed(2)} >= ${exits.creditMultiple} x credit ${p.entryCredit.toFixed(2)}`;
  return {
    kind: 'close',
    positionId: p.id,
    reason,
    cause: {
      rule: 'exit-credit-multiple',
      inputs: { closeCost: q.creditMid, entryCredit: p.entryCredit, multiple: exits.creditMultiple },
    },
  };
}
