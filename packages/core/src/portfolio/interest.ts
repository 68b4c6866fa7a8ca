import { daysBetween, type IsoDate } from '../domain/index';

/**
 * Interest a cash balance earns between two sessions at the rate known at the first, continuously
 * compounded on calendar days (ACT/365): `cash x (e^{r d/365} - 1)`. A negative balance pays it.
 */
export function interestEarnedUsd(cashUsd: number, annualRate: number, from: IsoDate, to: IsoDate): number {
  return cashUsd * (Math.exp(annualRate * (daysBetween(from, to) / 365)) - 1);
}
