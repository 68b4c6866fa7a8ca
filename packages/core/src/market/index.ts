export * from './edr';
export * from './indicators/index';
export * from './chain';
