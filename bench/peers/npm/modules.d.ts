// Types for the untyped CommonJS npm peers (MattL922's black-scholes, greeks, implied-volatility).
// Argument order is (s, k, t, v, r, callPut): spot, strike, years, vol per sqrt(year), rate. No dividend yield.

declare module 'black-scholes' {
  const bs: {
    blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
    stdNormCDF(x: number): number;
    getW(s: number, k: number, t: number, v: number, r: number): number;
  };
  export default bs;
}

declare module 'greeks' {
  const greeks: {
    getDelta(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
    getGamma(s: number, k: number, t: number, v: number, r: number): number;
    /** per 1% of vol (divided by 100) */
    getVega(s: number, k: number, t: number, v: number, r: number): number;
    /** per day: divided by `scale`, default 365 */
    getTheta(
      s: number,
      k: number,
      t: number,
      v: number,
      r: number,
      callPut: 'call' | 'put',
      scale?: number,
    ): number;
    /** per 1% of rate: divided by `scale`, default 100 */
    getRho(
      s: number,
      k: number,
      t: number,
      v: number,
      r: number,
      callPut: 'call' | 'put',
      scale?: number,
    ): number;
  };
  export default greeks;
}

declare module 'implied-volatility' {
  const iv: {
    getImpliedVolatility(
      expectedCost: number,
      s: number,
      k: number,
      t: number,
      r: number,
      callPut: 'call' | 'put',
      estimate?: number,
    ): number;
  };
  export default iv;
}
