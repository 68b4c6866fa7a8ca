/**
 * `npm run bench -- pricing`: times QuantLib (C++), the npm peers and ours on the same option cases,
 * prints a table and writes bench/results/pricing-latest.json. Benchmarks are not tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PUBLIC_CASES, generateCases, loadPublicCases, type PricingCases } from './lib/cases.ts';
import { formatRate, formatRatio, renderTable } from './lib/table.ts';
import { type Measurement, timingSink } from './lib/timing.ts';
import { measureNpmPeers, type NpmAccuracy, npmAccuracy, npmPeerVersions } from './peers/npm/npm-peers.ts';
import { type QuantLibResult, runQuantLibPeer } from './peers/quantlib/quantlib-peer.ts';
import { measureOurs, oursReport } from './pricing-ours.ts';

export const PRICING_USAGE = `npm run bench -- pricing [options]

  --cases generated|public  generated SPX-like cases (default) or the shared public.json vectors
  --public-path PATH        public cases file (default ${DEFAULT_PUBLIC_CASES})
  --n N                     options per pass (default 200000; public.json is repeated up to N)
  --seed S                  generator seed (default 20240101)
  --reps R                  timed passes per row (default 7); the best and the median are reported
  --engine-n M              options for QuantLib's AnalyticEuropeanEngine row (default 5000)
  --npm-n N                 options for the npm price/Greeks rows (default 5000)
  --npm-iv-n N              solves for the npm implied-vol row (default 200)
  --quick                   n 20000, reps 3, smaller npm and engine rows (a smoke run)
  --no-quantlib | --no-npm | --no-ours   skip a peer
  --no-build                do not run bench/peers/quantlib/build.sh; use an existing binary only
  --out PATH                JSON output (default bench/results/pricing-latest.json)`;

interface PricingOptions {
  cases: 'generated' | 'public';
  publicPath: string;
  n: number;
  seed: number;
  reps: number;
  engineN: number;
  npmN: number;
  npmIvN: number;
  quantlib: boolean;
  npm: boolean;
  ours: boolean;
  build: boolean;
  out: string;
}

const DEFAULT_OUT = fileURLToPath(new URL('./results/pricing-latest.json', import.meta.url));

function parseOptions(args: readonly string[]): PricingOptions {
  const o: PricingOptions = {
    cases: 'generated',
    publicPath: DEFAULT_PUBLIC_CASES,
    n: 200_000,
    seed: 20240101,
    reps: 7,
    engineN: 5000,
    npmN: 5000,
    npmIvN: 200,
    quantlib: true,
    npm: true,
    ours: true,
    build: true,
    out: DEFAULT_OUT,
  };
  if (args.includes('--quick'))
    Object.assign(o, { n: 20_000, reps: 3, engineN: 1000, npmN: 1000, npmIvN: 50 });
  const int = (flag: string, v: string | undefined): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x <= 0) throw new Error(`${flag} needs a positive integer, got '${v ?? ''}'`);
    return x;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    switch (a) {
      case '--quick':
        break;
      case '--cases':
        if (v !== 'generated' && v !== 'public') throw new Error(`--cases must be 'generated' or 'public'`);
        o.cases = v;
        i++;
        break;
      case '--public-path':
        if (!v) throw new Error('--public-path needs a path');
        o.publicPath = v;
        o.cases = 'public';
        i++;
        break;
      case '--n':
        o.n = int(a, v);
        i++;
        break;
      case '--seed':
        o.seed = int(a, v);
        i++;
        break;
      case '--reps':
        o.reps = int(a, v);
        i++;
        break;
      case '--engine-n':
        o.engineN = int(a, v);
        i++;
        break;
      case '--npm-n':
        o.npmN = int(a, v);
        i++;
        break;
      case '--npm-iv-n':
        o.npmIvN = int(a, v);
        i++;
        break;
      case '--no-quantlib':
        o.quantlib = false;
        break;
      case '--no-npm':
        o.npm = false;
        break;
      case '--no-ours':
        o.ours = false;
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--out':
        if (!v) throw new Error('--out needs a path');
        o.out = v;
        i++;
        break;
      default:
        throw new Error(`unknown option '${a}'\n\n${PRICING_USAGE}`);
    }
  }
  return o;
}

interface Row extends Measurement {
  /** best ops/s over QuantLib BlackCalculator's best ops/s (price + 5 Greeks) */
  vsQuantLibBlackCalculator: number | null;
  /** the same ratio by CPU time (best ops per CPU second over QuantLib BlackCalculator's) */
  vsQuantLibBlackCalculatorCpu: number | null;
  /** best ops/s over the npm black-scholes + greeks row's best ops/s (price + 5 Greeks) */
  vsNpmGreeks: number | null;
  /** implied-vol rows only: best ops/s over QuantLib's LiRS implied-vol row */
  vsQuantLibIv: number | null;
}

const GOAL_GREEKS_VS_QL = 1.0;
const GOAL_IV_PER_SEC = 2e6;

export async function runPricing(args: readonly string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${PRICING_USAGE}\n`);
    return;
  }
  const o = parseOptions(args);
  const cases: PricingCases =
    o.cases === 'public' ? loadPublicCases(o.publicPath, o.n) : generateCases(o.n, o.seed);
  const cpus = os.cpus();
  const load = os.loadavg();
  process.stdout.write(
    `pricing bench: ${cases.n} options from ${cases.source}\n` +
      `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}, node ${process.version}, ` +
      `load average ${load.map((x) => x.toFixed(2)).join(' ')}\n` +
      `single-threaded; each row: warm-up, then ${o.reps} timed passes; best and median options/second\n\n`,
  );

  const measurements: Measurement[] = [];

  let ql: QuantLibResult | { available: false; why: string } = {
    available: false,
    why: 'skipped (--no-quantlib)',
  };
  if (o.quantlib) {
    process.stdout.write('QuantLib peer ...\n');
    ql = runQuantLibPeer(cases, { reps: o.reps, engineN: o.engineN, noBuild: !o.build });
    if (ql.available) measurements.push(...ql.rows);
    else process.stdout.write(`QuantLib peer unavailable: ${ql.why}\n`);
  }

  let npmAcc: NpmAccuracy | null = null;
  const npmVersions = npmPeerVersions();
  if (o.npm) {
    process.stdout.write('npm peers ...\n');
    measurements.push(
      ...measureNpmPeers(cases, { greeksN: o.npmN, ivN: o.npmIvN, reps: Math.min(o.reps, 5) }),
    );
    try {
      npmAcc = npmAccuracy(o.publicPath);
    } catch (e) {
      process.stdout.write(`npm peers: accuracy check skipped (${(e as Error).message})\n`);
    }
  }

  if (o.ours) {
    process.stdout.write('ours ...\n');
    measurements.push(...(await measureOurs(cases, { reps: o.reps })));
  }

  const best = (id: string): number | null => measurements.find((m) => m.id === id)?.bestOpsPerSec ?? null;
  const qlBC = best('ql-blackcalculator');
  const qlBCCpu = measurements.find((m) => m.id === 'ql-blackcalculator')?.bestCpuOpsPerSec ?? null;
  const npmG = best('npm-greeks');
  const qlIv = best('ql-iv-lirs') ?? best('ql-iv-newton');
  const rows: Row[] = measurements.map((m) => ({
    ...m,
    vsQuantLibBlackCalculator: qlBC ? m.bestOpsPerSec / qlBC : null,
    vsQuantLibBlackCalculatorCpu: qlBCCpu ? m.bestCpuOpsPerSec / qlBCCpu : null,
    vsNpmGreeks: npmG ? m.bestOpsPerSec / npmG : null,
    vsQuantLibIv: m.kind === 'iv' && qlIv ? m.bestOpsPerSec / qlIv : null,
  }));

  const header = [
    'row',
    'kind',
    'n',
    'best ops/s',
    'median ops/s',
    'best ops/cpu-s',
    'x QL BC',
    'x npm',
    'x QL IV',
    'checksum',
  ];
  const table = renderTable(
    header,
    rows.map((r) => [
      r.name,
      r.kind,
      String(r.n),
      formatRate(r.bestOpsPerSec),
      formatRate(r.medianOpsPerSec),
      formatRate(r.bestCpuOpsPerSec),
      formatRatio(r.vsQuantLibBlackCalculator),
      formatRatio(r.vsNpmGreeks),
      formatRatio(r.vsQuantLibIv),
      Number.isFinite(r.checksum) ? r.checksum.toPrecision(8) : String(r.checksum),
    ]),
    new Set([2, 3, 4, 5, 6, 7, 8, 9]),
  );
  process.stdout.write(`\n${table}\n\n`);
  process.stdout.write(
    'x QL BC = best ops/s / QuantLib BlackCalculator (price + 5 Greeks) best ops/s; x npm = same over the npm\n' +
      'black-scholes + greeks row; x QL IV = implied-vol rows over QuantLib blackFormulaImpliedStdDevLiRS.\n' +
      'ops/cpu-s = options per second of CPU time (leaves out time the OS gave to other jobs).\n',
  );
  for (const r of rows) if (r.note) process.stdout.write(`  ${r.id}: ${r.note}\n`);

  if (ql.available) {
    const { newton, lirs } = ql.ivAccuracy;
    process.stdout.write(
      `QuantLib ${ql.version} (${ql.compiler}, -O2) implied vol: Newton max |iv - sigma| ${newton.maxAbsErr}, ` +
        `${newton.failures} failures; LiRS max ${lirs.maxAbsErr}, ${lirs.failures} failures\n`,
    );
  }
  if (npmAcc) {
    const f = Object.entries(npmAcc.fields)
      .map(([k, v]) => `${k} ${v.fail}/${v.cases} off (max |d| ${v.maxAbsErr.toExponential(1)})`)
      .join(', ');
    process.stdout.write(
      `npm peers (${Object.entries(npmVersions)
        .map(([k, v]) => `${k}@${v}`)
        .join(
          ', ',
        )}) vs public.json, ${npmAcc.cases} cases mapped to q = 0 (S' = S e^{-qT}), 1e-9 rule: ${f}; ` +
        `implied vol: ${npmAcc.iv.over1e7} of ${npmAcc.iv.cases} off by > 1e-7 (max ${npmAcc.iv.maxAbsErr.toExponential(1)})\n`,
    );
  }

  const goals: Record<string, string> = {};
  const oursG = rows.filter((r) => r.peer === 'ours' && r.kind === 'greeks');
  const oursIv = rows.filter((r) => r.peer === 'ours' && r.kind === 'iv');
  const bestOf = (rs: Row[]): Row | undefined =>
    rs.reduce<Row | undefined>((a, b) => (!a || b.bestOpsPerSec > a.bestOpsPerSec ? b : a), undefined);
  const g = bestOf(oursG);
  const iv = bestOf(oursIv);
  goals.greeks = !g
    ? 'ours: not available'
    : g.vsQuantLibBlackCalculator === null
      ? `${g.id} ${formatRate(g.bestOpsPerSec)}/s (QuantLib not available to compare)`
      : `${g.id} ${formatRatio(g.vsQuantLibBlackCalculator)} QuantLib BlackCalculator by wall time ` +
        `(${formatRatio(g.vsQuantLibBlackCalculatorCpu)} by CPU time): ` +
        `${g.vsQuantLibBlackCalculator >= GOAL_GREEKS_VS_QL ? 'met' : 'not met'}`;
  goals.iv = !iv
    ? 'ours: not available'
    : `${iv.id} ${formatRate(iv.bestOpsPerSec)}/s: ${iv.bestOpsPerSec >= GOAL_IV_PER_SEC ? 'met' : 'not met'}`;
  process.stdout.write(
    `goals (informative, not a test): price + 5 Greeks >= ${GOAL_GREEKS_VS_QL}x QuantLib BlackCalculator per core: ${goals.greeks}; ` +
      `implied vol >= 2 M solves/s: ${goals.iv}\n`,
  );

  const report = {
    section: 'pricing',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: load,
    },
    options: { ...o, out: undefined },
    cases: { source: cases.source, n: cases.n },
    quantlib: ql.available
      ? {
          available: true,
          version: ql.version,
          compiler: ql.compiler,
          flags: '-O2 -std=c++17',
          ivAccuracy: ql.ivAccuracy,
        }
      : { available: false, why: ql.why },
    npmPeers: o.npm ? { versions: npmVersions, dividendYield: false, accuracyVsPublicJson: npmAcc } : null,
    ours: o.ours
      ? {
          available: (oursReport.probe?.present.length ?? 0) > 0,
          present: oursReport.probe?.present ?? [],
          missing: oursReport.probe?.missing ?? [],
          error: oursReport.probe?.error ?? null,
          iv: oursReport.iv ?? null,
        }
      : null,
    goals,
    rows,
    sink: timingSink(),
  };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwrote ${o.out}\n`);
}
