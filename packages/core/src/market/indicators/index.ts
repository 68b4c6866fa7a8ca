export * from './momentum';
export * from './moving-averages';
export * from './series';
export * from './term-structure';
export * from './volatility';
export * from './vwap';
