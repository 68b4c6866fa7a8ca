export * from './claims';
export * from './common';
export * from './comparison';
export * from './edr-study';
export * from './entry-time';
export * from './exits-study';
export * from './html';
export * from './seed-vix';
