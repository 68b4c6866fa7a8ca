export * from './edr';
export * from './indicators/index';
