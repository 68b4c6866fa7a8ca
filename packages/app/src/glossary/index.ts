export * from './explain';
export * from './terms';
