export * from './backtest-jobs';
export * from './errors';
export * from './journal';
export * from './paper-book';
export { holdExclusiveLock } from './sqlite';
