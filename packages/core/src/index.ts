export * from './domain/index';
export * from './market/index';
