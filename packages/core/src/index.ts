export * from './domain/index';
export * from './calendar/index';
