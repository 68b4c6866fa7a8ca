export * from './csv';
export * from './embedded';
export * from './errors';
export * from './group';
export * from './layouts';
export * from './parse';
export * from './row';
