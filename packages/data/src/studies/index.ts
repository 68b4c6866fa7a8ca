export * from './claims';
export * from './common';
export * from './html';
