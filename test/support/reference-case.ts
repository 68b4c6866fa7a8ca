/** One row of test/vectors/pricing/public.json (the tests and the pricing bench read it). */
export interface ReferenceCase {
  id: string;
  model: 'bsm' | 'black76';
  type: 'call' | 'put';
  S?: number;
  F?: number;
  K: number;
  T: number;
  r: number;
  q: number;
  sigma: number;
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  vanna: number;
  volga: number;
  charm: number;
  iv_check: boolean;
  quoted_price?: number;
  published?: Record<string, number | string>;
}
