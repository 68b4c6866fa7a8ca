export * from './backtest-jobs';
export * from './journal';
