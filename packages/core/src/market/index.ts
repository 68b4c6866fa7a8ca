export * from './chain';
export * from './edr';
export * from './indicators/index';
export * from './intraday/index';
export * from './snapshot';
export * from './surface/index';
export * from './vix-futures';
export * from './vix-index';
