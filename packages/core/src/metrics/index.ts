export * from './deflated-sharpe';
export * from './pbo';
export * from './periods';
export * from './series';
export * from './stats';
export * from './summary';
