export * from './book-fills';
export * from './interest';
export * from './margin';
export * from './marks';
export * from './portfolio';
export * from './settlement';
export * from './types';
