export * from './fill-model';
