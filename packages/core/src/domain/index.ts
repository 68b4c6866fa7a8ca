export * from './contracts';
export * from './dates';
export * from './errors';
