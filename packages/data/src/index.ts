export * from './chains/index';
