export * from './batch';
export * from './black-scholes';
export * from './greeks';
export * from './implied-vol';
export * from './normalised-black';
