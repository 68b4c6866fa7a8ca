export * from './compare';
export * from './replication';
