import { resolveConfig } from '../packages/core/src/index';
import { marketData, runSweepJob } from '../packages/data/src/index';

marketData();
const t0 = performance.now();
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const r = runSweepJob({
    config: resolveConfig('vixshield', { sizing: { maxLossFractionOfEquity: 0.05 + i / 1000 } }),
    from: '2015-01-02' as never,
    to: '2025-12-31' as never,
  });
  if (i < 3 || i === 19)
    console.log(i, 'job ms', (performance.now() - t).toFixed(0), 'replay', r.elapsedMs.toFixed(0));
}
console.log('total', (performance.now() - t0).toFixed(0));
