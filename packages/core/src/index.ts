export * from './calendar/index';
export * from './domain/index';
export * from './math/index';
export * from './pricing/index';
