export * from './normal';
