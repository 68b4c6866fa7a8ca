export * from './backtest-jobs';
export * from './journal';
export { holdExclusiveLock } from './sqlite';
