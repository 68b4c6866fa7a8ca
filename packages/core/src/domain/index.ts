export * from './canonical-json';
export * from './contracts';
export * from './dates';
export * from './errors';
