export * from './glossary/index';
export * from './report/html-report';
export * from './report/model-error';
export * from './report/write-report';
export * from './usecases/index';
