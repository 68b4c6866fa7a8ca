export * from './studies/index';
export * from './sweep/index';
