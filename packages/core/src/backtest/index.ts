export * from './runner';
export * from './sessions';
export * from './types';
