export * from './cboe';
export * from './file';
export * from './store-snapshot';
export * from './tradier';
export * from './types';
export * from './validate';
