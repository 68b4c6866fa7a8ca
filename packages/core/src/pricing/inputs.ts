import { InvalidInputError } from '../domain/errors';

/*
 * Named inputs of the scalar pricing API. Every entry point takes one object, so a call site that swaps
 * the rate and the dividend yield (or the strike and the spot, or passes isCall in the wrong place) no
 * longer type-checks as positional numbers did: each number is written next to its name. Units are in
 * the names or, where the name cannot carry them, in the field's comment:
 * - prices (spot, future, strike, premiums) in index points;
 * - yearsToExpiry in years (calendar time, e.g. minutes / 525,600);
 * - riskFreeRate and dividendYield continuously compounded per year, as decimals (0.05 for 5%);
 * - vol the Black volatility per sqrt(year), as a decimal (0.2 for 20%).
 * The numeric kernels behind them (generalizedGreeks, blackImpliedVolRaw) stay positional and private
 * to the pricing folder: they run in the batch loops.
 */

/** One European option on a spot paying a continuous dividend yield (Black-Scholes-Merton). */
export interface OptionInputs {
  readonly isCall: boolean;
  /** Spot price of the underlying, index points; > 0. */
  readonly spot: number;
  /** Strike, index points; > 0. */
  readonly strike: number;
  /** Years to expiry; >= 0 (0 = at expiry: the intrinsic value). */
  readonly yearsToExpiry: number;
  /** Risk-free rate, continuously compounded per year, decimal (0.05 for 5%); may be negative. */
  readonly riskFreeRate: number;
  /** Dividend yield, continuous per year, decimal (0.013 for 1.3%); may be negative. */
  readonly dividendYield: number;
  /** Black-Scholes volatility per sqrt(year), decimal (0.2 for 20%); > 0. */
  readonly vol: number;
}

/** One European option on a futures price, discounted at the risk-free rate (Black-76). */
export interface Black76Inputs {
  readonly isCall: boolean;
  /** Futures (or forward) price of the underlying, index points; > 0. */
  readonly future: number;
  readonly strike: number;
  readonly yearsToExpiry: number;
  readonly riskFreeRate: number;
  readonly vol: number;
}

/** A BSM option whose vol is sought: OptionInputs with the premium in place of the vol. */
export interface BsmIvInputs extends Omit<OptionInputs, 'vol'> {
  /** Discounted option premium, index points. */
  readonly price: number;
}

/** A Black-76 option whose vol is sought: Black76Inputs with the premium in place of the vol. */
export interface Black76IvInputs extends Omit<Black76Inputs, 'vol'> {
  /** Discounted option premium, index points. */
  readonly price: number;
}

/** Spot, time and carry of an underlying: what its forward price depends on. */
export type CarryInputs = Pick<OptionInputs, 'spot' | 'yearsToExpiry' | 'riskFreeRate' | 'dividendYield'>;

/** A call and a put premium at the same strike and expiry, with the spot and carry (put-call parity). */
export interface ParityInputs extends Omit<OptionInputs, 'isCall' | 'vol'> {
  /** Discounted call premium, index points. */
  readonly callPrice: number;
  /** Discounted put premium, index points. */
  readonly putPrice: number;
}

/** The field names an input check reports, so an error names what the caller wrote. */
export interface OptionFieldNames {
  readonly underlying: string;
  readonly strike: string;
  readonly years: string;
  readonly rate: string;
  readonly carryYield: string;
  readonly vol: string;
}

export const BSM_FIELDS: OptionFieldNames = {
  underlying: 'spot',
  strike: 'strike',
  years: 'yearsToExpiry',
  rate: 'riskFreeRate',
  carryYield: 'dividendYield',
  vol: 'vol',
};

export const BLACK76_FIELDS: OptionFieldNames = { ...BSM_FIELDS, underlying: 'future' };

function invalid(field: string, value: number, hint: string): never {
  throw new InvalidInputError(`${field} = ${String(value)} is not valid: ${hint}`, field, hint);
}

/**
 * The domain check behind every entry point, positional because the batch loops call it too (with
 * their own column names). T = 0 is allowed (the option is at expiry and worth its intrinsic value);
 * negative rates and yields are allowed.
 */
export function checkOptionDomain(
  underlying: number,
  strike: number,
  years: number,
  rate: number,
  carryYield: number,
  vol: number,
  fields: OptionFieldNames,
): void {
  if (!(underlying > 0) || underlying === Number.POSITIVE_INFINITY)
    invalid(fields.underlying, underlying, 'must be a finite number > 0');
  if (!(strike > 0) || strike === Number.POSITIVE_INFINITY)
    invalid(fields.strike, strike, 'must be a finite number > 0');
  if (!(years >= 0) || years === Number.POSITIVE_INFINITY)
    invalid(fields.years, years, 'must be a finite number of years >= 0');
  if (!Number.isFinite(rate))
    invalid(fields.rate, rate, 'must be a finite continuously compounded rate, e.g. 0.05');
  if (!Number.isFinite(carryYield))
    invalid(fields.carryYield, carryYield, 'must be a finite continuous dividend yield, e.g. 0.015');
  if (!(vol > 0) || vol === Number.POSITIVE_INFINITY)
    invalid(fields.vol, vol, 'must be a finite volatility > 0 as a decimal, e.g. 0.2 for 20%');
}

/**
 * Rejects inputs outside the model's domain with an error naming the field (spot or future, strike,
 * yearsToExpiry, riskFreeRate, dividendYield, vol).
 */
export function validateOptionInputs(inputs: OptionInputs | Black76Inputs): void {
  if ('spot' in inputs) {
    const { spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol } = inputs;
    checkOptionDomain(spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol, BSM_FIELDS);
  } else {
    const { future, strike, yearsToExpiry, riskFreeRate, vol } = inputs;
    checkOptionDomain(future, strike, yearsToExpiry, riskFreeRate, 0, vol, BLACK76_FIELDS);
  }
}
