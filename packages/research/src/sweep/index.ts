export * from './job';
export * from './pbo';
export * from './queue';
export * from './report';
export * from './space';
export * from './sweep';
export * from './walk-forward';
export * from './walk-forward-report';
