export * from './calendar/index';
export * from './domain/index';
export * from './market/index';
export * from './math/index';
export * from './pricing/index';
export * from './strategies/index';
