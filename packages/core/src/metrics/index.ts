export * from './deflated-sharpe';
export * from './series';
export * from './stats';
export * from './summary';
