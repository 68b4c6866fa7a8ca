export * from './job';
export * from './queue';
export * from './report';
export * from './space';
export * from './sweep';
