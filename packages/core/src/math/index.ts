export * from './normal';
export * from './search';
