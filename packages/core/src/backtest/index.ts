export * from './cboe/index';
export * from './ruin';
export * from './intraday-exit-phase';
export * from './runner';
export * from './sessions';
export * from './simulated-broker';
export * from './types';
