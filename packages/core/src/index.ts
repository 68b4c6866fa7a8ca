export * from './calendar/index';
export * from './domain/index';
