export * from './backtest';
export * from './calendar';
export * from './cboe';
export * from './chain';
export * from './config';
export * from './files';
export * from './market';
export * from './signal';
