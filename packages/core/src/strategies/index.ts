export * from './config';
export * from './events/event-filter';
export * from './iron-condor/chain-analytics';
export * from './iron-condor/command';
export * from './iron-condor/condor';
export * from './iron-condor/rsai';
export * from './regime/vix-gate';
export * from './types';
