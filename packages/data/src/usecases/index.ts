export * from './backtest';
export * from './cboe';
export * from './chain';
export * from './config';
export * from './errors';
export * from './files';
export * from './market';
export * from './signal';
