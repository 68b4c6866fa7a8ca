export * from './backtest-jobs';
export * from './errors';
export * from './journal';
export { holdExclusiveLock } from './sqlite';
