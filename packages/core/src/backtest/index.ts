export * from './cboe/index';
export * from './intraday-exit-phase';
export * from './ruin';
export * from './runner';
export * from './sessions';
export * from './simulated-broker';
export * from './types';
