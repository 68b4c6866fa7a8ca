import { chainContext, ivAtAbsDelta, resolveConfig, sessionsFromSnapshots } from '../packages/core/src/index';
import { embeddedPorts, exchangeIsTradingDay, loadEmbeddedMarketData } from '../packages/data/src/index';

const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
const cfg = resolveConfig('vixshield');
const { sessions } = sessionsFromSnapshots(md.snapshots, { timeCt: cfg.entry.timeCt, zLookbackDays: 20 });
const days = sessions.filter((s) => s.date >= '2015-01-02');
for (let rep = 0; rep < 3; rep++) {
  const ports = embeddedPorts(md);
  const c = ports.chains as any;
  let t = performance.now();
  for (const s of days) c.surface(s.date);
  const tSurf = performance.now() - t;
  t = performance.now();
  const exps: string[][] = [];
  for (const s of days) exps.push(c.expirations(s.date) as string[]);
  const tExp = performance.now() - t;
  t = performance.now();
  const chains: any[] = [];
  days.forEach((s, i) => {
    const e = exps[i]!.find((x) => x > s.date);
    if (e) chains.push(c.chain(s.date, e));
  });
  const tChain = performance.now() - t;
  t = performance.now();
  for (const ch of chains) {
    const ctx = chainContext(ch, 0.03, 0.015);
    ivAtAbsDelta(ctx, 'put', 0.1);
    ivAtAbsDelta(ctx, 'call', 0.1);
  }
  const tReads = performance.now() - t;
  t = performance.now();
  const v = ports.vixOptions as any;
  for (const s of days) {
    const e = v.expirations(s.date);
    if (e[1]) v.callNearDelta(s.date, e[1], 0.3);
  }
  const tVix = performance.now() - t;
  console.log(
    `surfaces ${tSurf.toFixed(0)} listings ${tExp.toFixed(0)} 1DTE chains ${chains.length} ${tChain.toFixed(0)} reads ${tReads.toFixed(0)} vix ${tVix.toFixed(0)} ms`,
  );
}
