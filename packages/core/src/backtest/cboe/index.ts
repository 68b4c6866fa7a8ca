export * from './compare';
export * from './condor';
export * from './replication';
