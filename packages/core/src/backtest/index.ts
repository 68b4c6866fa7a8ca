export * from './cboe/index';
export * from './runner';
export * from './sessions';
export * from './simulated-broker';
export * from './types';
