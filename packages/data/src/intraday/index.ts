export * from './days';
export * from './load';
export * from './parse';
export * from './store';
