export * from './batch';
export * from './black-scholes';
// The positional kernels (generalizedGreeks, blackImpliedVolRaw, bsmImpliedVolRaw, checkOptionDomain)
// stay inside pricing: outside it, every scalar call names its inputs (see inputs.ts).
export { emptyGreeks, type Greeks, type OptionRight } from './greeks';
export {
  IV_STATUS_CODE,
  IV_STATUS_NAMES,
  type IvResult,
  type IvStatus,
  impliedVolBlack76,
  impliedVolBsm,
  normalisedImpliedVolOtm,
} from './implied-vol';
export {
  type Black76Inputs,
  type Black76IvInputs,
  type BsmIvInputs,
  type CarryInputs,
  type OptionInputs,
  type ParityInputs,
  validateOptionInputs,
} from './inputs';
export * from './normalised-black';
