export * from './dates';
export * from './errors';
