import { InvalidInputError } from '../domain/index';
import { inverseNormCdf, normCdf } from '../math/index';

/**
 * Probabilistic and deflated Sharpe ratios after Bailey & Lopez de Prado:
 * - "The Sharpe Ratio Efficient Frontier", Journal of Risk 15(2), 2012 (PSR);
 * - "The Deflated Sharpe Ratio: Correcting for Selection Bias, Backtest Overfitting and
 *   Non-Normality", Journal of Portfolio Management 40(5), 2014, pp. 94-107 (DSR).
 *
 * All Sharpe ratios here are PER OBSERVATION (not annualised): divide an annualised daily Sharpe by
 * sqrt(252) first. Skewness is the third standardised moment; kurtosis is the fourth standardised
 * moment, NOT excess (3 for normal returns).
 */

/** Euler-Mascheroni constant. */
export const EULER_MASCHERONI = 0.5772156649015329;

/**
 * PSR(SR*) = Phi( (SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2) ): the probability that
 * the true Sharpe exceeds `benchmark` given the estimate `sharpe` from `nObs` observations.
 * Null when the variance term under the square root is not positive (possible for large positive
 * skew), where the asymptotic formula does not apply.
 */
export function probabilisticSharpe(
  sharpe: number,
  benchmark: number,
  nObs: number,
  skew: number,
  kurt: number,
): number | null {
  for (const [v, f] of [
    [sharpe, 'sharpe'],
    [benchmark, 'benchmark'],
    [skew, 'skew'],
    [kurt, 'kurtosis'],
  ] as const) {
    if (!Number.isFinite(v)) throw new InvalidInputError(`${f} must be finite, got ${v}`, f, 'pass a number');
  }
  if (!(Number.isInteger(nObs) && nObs >= 2)) {
    throw new InvalidInputError(`nObs must be an integer >= 2, got ${nObs}`, 'nObs', 'count the returns');
  }
  const v = 1 - skew * sharpe + ((kurt - 1) / 4) * sharpe * sharpe;
  if (!(v > 0)) return null;
  return normCdf(((sharpe - benchmark) * Math.sqrt(nObs - 1)) / Math.sqrt(v));
}

/**
 * Expected maximum of `nTrials` independent estimated Sharpe ratios whose true value is 0 and whose
 * cross-trial variance is `variance` (False Strategy Theorem):
 * E[max SR] ~ sqrt(V) ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e))). 0 for one trial.
 */
export function expectedMaxSharpe(nTrials: number, variance: number): number {
  if (!(Number.isInteger(nTrials) && nTrials >= 1)) {
    throw new InvalidInputError(
      `nTrials must be an integer >= 1, got ${nTrials}`,
      'nTrials',
      'count variants',
    );
  }
  if (!(variance >= 0 && Number.isFinite(variance))) {
    throw new InvalidInputError(
      `variance must be finite and >= 0, got ${variance}`,
      'variance',
      'e.g. 1/(T-1)',
    );
  }
  if (nTrials === 1) return 0;
  const g = EULER_MASCHERONI;
  const z = (1 - g) * inverseNormCdf(1 - 1 / nTrials) + g * inverseNormCdf(1 - 1 / (nTrials * Math.E));
  return Math.sqrt(variance) * z;
}

export interface DeflatedSharpeOptions {
  /**
   * Variance of the (per-observation) Sharpe ratios across the trials. Default 1/(nObs - 1): the
   * sampling variance of an estimated Sharpe under the null of zero true Sharpe with normal returns,
   * i.e. the trials are assumed to differ only by noise. Pass the measured variance when known.
   */
  readonly trialSharpeVariance?: number;
}

/**
 * Deflated Sharpe ratio: PSR with the benchmark set to the expected maximum Sharpe of `nTrials`
 * unskilled trials, DSR = PSR(E[max SR]). A probability in [0, 1]; conventionally a DSR above 0.95
 * rejects "the best of nTrials is luck" at 5%. Null where PSR is null.
 */
export function deflatedSharpe(
  sharpe: number,
  nTrials: number,
  nObs: number,
  skew: number,
  kurt: number,
  options: DeflatedSharpeOptions = {},
): number | null {
  if (!(Number.isInteger(nObs) && nObs >= 2)) {
    throw new InvalidInputError(`nObs must be an integer >= 2, got ${nObs}`, 'nObs', 'count the returns');
  }
  const variance = options.trialSharpeVariance ?? 1 / (nObs - 1);
  const sr0 = expectedMaxSharpe(nTrials, variance);
  return probabilisticSharpe(sharpe, sr0, nObs, skew, kurt);
}
