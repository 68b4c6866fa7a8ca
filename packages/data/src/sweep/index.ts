export * from './job';
export * from './report';
export * from './space';
export * from './sweep';
