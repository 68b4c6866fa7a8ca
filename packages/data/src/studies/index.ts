export * from './claims';
export * from './common';
export * from './edr-study';
export * from './html';
export * from './seed-vix';
