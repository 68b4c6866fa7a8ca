export * from './daily-signal';
