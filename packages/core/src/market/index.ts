export * from './chain';
export * from './edr';
export * from './indicators/index';
export * from './snapshot';
export * from './surface/index';
