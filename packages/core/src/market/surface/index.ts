export * from './arbitrage';
export * from './expiry-vol';
export * from './long-tenor';
export * from './modelled-chain-source';
export * from './short-dated';
export * from './spread';
export * from './surface';
export * from './term-structure';
