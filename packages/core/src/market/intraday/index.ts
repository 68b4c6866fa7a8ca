export * from './bars';
export * from './ohlc-approximation';
export * from './twap';
export * from './variance-profile';
