import { escapeHtml as e } from '@vixshield/app';
import { pctText } from '../studies/common';
import { card, page, table } from '../studies/html';
import type { SweepPbo } from './pbo';
import type { WalkForwardReport } from './walk-forward';

const num = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '-' : x.toFixed(d));

function label(values: ReadonlyArray<readonly [string, unknown]>): string {
  return values.map(([p, v]) => `${p}=${String(v)}`).join(' ');
}

/** The PBO lines every sweep report prints (text). */
export function pboLines(p: SweepPbo): string[] {
  if (p.pbo === null) return [`  PBO: n/a (${p.note ?? 'not computed'}); sample: ${p.sample}`];
  return [
    `  PBO (probability of backtest overfitting, CSCV): ${pctText(p.pbo, 1)} over ${p.combinations} combinations of ${p.blocks} blocks x ${p.blockLength} month(s); ${p.distinctVariants} distinct of ${p.variants} variants; sample: ${p.sample}${p.note ? ` (${p.note})` : ''}`,
    `    mean logit ${num(p.meanLogit)} (> 0: the in-sample best tends to beat the out-of-sample median); performance degradation slope ${num(p.degradationSlope)} (OOS on IS Sharpe of the in-sample best); P(OOS Sharpe < 0) ${pctText(p.probabilityOfOosLoss, 1)}`,
  ];
}

/** The PBO rows of an HTML overfitting table. */
export function pboRows(p: SweepPbo): string[][] {
  return [
    ['PBO (CSCV)', p.pbo === null ? `n/a: ${p.note ?? ''}` : pctText(p.pbo, 1)],
    [
      'PBO blocks / combinations',
      p.pbo === null
        ? '-'
        : `${p.blocks} x ${p.blockLength} month(s) / ${p.combinations}${p.note ? ` (${p.note})` : ''}`,
    ],
    [
      'distinct variants (identical monthly returns count once)',
      p.distinctVariants === null ? '-' : String(p.distinctVariants),
    ],
    ['mean logit', num(p.meanLogit)],
    ['performance degradation slope', num(p.degradationSlope)],
    ['P(OOS Sharpe < 0) of the IS best', pctText(p.probabilityOfOosLoss, 1)],
  ];
}

/** IS/OOS Sharpe, IS/OOS CAGR, OOS drawdown, OOS rank and DSR of one fold (text and HTML tables). */
function foldMetricCells(f: WalkForwardReport['folds'][number]): string[] {
  return [
    num(f.inSample?.sharpe),
    num(f.outOfSample?.sharpe),
    pctText(f.inSample?.cagr ?? null, 2),
    pctText(f.outOfSample?.cagr ?? null, 2),
    pctText(f.outOfSample?.maxDrawdown ?? null),
    pctText(f.outOfSampleRelativeRank, 0),
    num(f.deflatedSharpe, 3),
  ];
}

export function formatWalkForward(r: WalkForwardReport): string {
  const ef = r.efficiency;
  const st = r.stitched;
  const lines = [
    `walk-forward sweep over preset ${r.preset}: ${r.variants} variants tried (${r.mode}), ${r.folds.length} folds, ${r.jobs} jobs, ${r.cacheHits} from cache, ${r.workers} worker(s), ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  windows ${r.spec.text} over ${r.window.from} .. ${r.window.to}`,
    `  fold rule: ${r.foldRule}`,
    `  objective: ${r.objective}`,
    `  data version ${r.dataVersion}`,
    `  prices: ${r.prices}`,
    '',
    'fold | train | test | chosen | IS Sharpe | OOS Sharpe | IS CAGR | OOS CAGR | OOS MDD | OOS rank | DSR of train best',
  ];
  for (const f of r.folds) {
    const v = f.chosen === null ? 'none' : label(r.variantResults[f.chosen]!.values);
    lines.push(
      [
        String(f.index + 1),
        `${f.train.from} .. ${f.train.to} (${f.train.tradingDays} d)`,
        `${f.test.from} .. ${f.test.to} (${f.test.tradingDays} d)${f.partial ? ' partial' : ''}`,
        v,
        ...foldMetricCells(f),
      ].join(' | '),
    );
  }
  if (r.droppedTail)
    lines.push(
      `  (last test window ${r.droppedTail.from} .. ${r.droppedTail.to} dropped: ${r.droppedTail.tradingDays} trading days < 20)`,
    );
  lines.push('');
  lines.push(
    `stitched out-of-sample (${st.from} .. ${st.to}, ${st.months} months): total ${pctText(st.totalReturn, 2)}, CAGR ${pctText(st.cagr, 2)}, Sharpe (monthly, x sqrt 12) ${num(st.sharpeMonthly)}, max drawdown at month ends ${pctText(st.maxDrawdownMonthEnd)} (worst daily drawdown inside one test window ${pctText(st.worstFoldMaxDrawdown)})`,
  );
  lines.push(
    `walk-forward efficiency: Sharpe ${num(ef.sharpe)} (mean OOS ${num(ef.meanOutOfSampleSharpe)} / mean IS ${num(ef.meanInSampleSharpe)}); CAGR ${num(ef.cagr)} (stitched OOS ${pctText(st.cagr, 2)} / mean IS ${pctText(ef.meanInSampleCagr, 2)}; mean of the folds' OOS CAGRs ${pctText(ef.meanOutOfSampleCagr, 2)}); n/a when the IS mean is <= 0`,
  );
  lines.push('');
  lines.push(`overfitting (${r.variants} variants tried):`);
  const dsr = r.folds.map((f) => f.deflatedSharpe).filter((x): x is number => x !== null);
  lines.push(
    `  deflated Sharpe of each fold's train best (trials = ${r.variants}): ${dsr.length ? dsr.map((x) => x.toFixed(3)).join(', ') : '-'}`,
  );
  lines.push(...pboLines(r.pbo));
  lines.push('');
  lines.push('variant | chosen in folds | mean train Sharpe | mean test Sharpe');
  for (const v of r.variantResults) {
    const m = (xs: ReadonlyArray<number | null>) => {
      const ok = xs.filter((x): x is number => x !== null);
      return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
    };
    lines.push(
      [label(v.values), String(v.timesChosen), num(m(v.trainSharpe)), num(m(v.testSharpe))].join(' | '),
    );
  }
  lines.push('');
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

function equityChart(r: WalkForwardReport): string {
  const pts = [{ period: r.stitched.from.slice(0, 7), value: 1 }, ...r.stitched.equity];
  if (pts.length < 3) return '<p class="na">Fewer than two months out of sample.</p>';
  const W = 760;
  const H = 260;
  const L = 50;
  const B = 24;
  const vals = pts.map((p) => p.value);
  const lo = Math.min(1, ...vals);
  const hi = Math.max(1, ...vals);
  const x = (i: number) => L + (i / (pts.length - 1)) * (W - L - 10);
  const y = (v: number) => 10 + (1 - (v - lo) / (hi - lo || 1)) * (H - 10 - B);
  const parts: string[] = [];
  for (const f of r.folds) {
    const i = pts.findIndex((p) => p.period >= f.test.from.slice(0, 7));
    if (i >= 0)
      parts.push(
        `<line class="zero" x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="10" y2="${H - B}"/><text class="tick" x="${(x(i) + 3).toFixed(1)}" y="20">${f.index + 1}</text>`,
      );
  }
  parts.push(
    `<line class="zero" x1="${L}" x2="${W - 10}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}"/>`,
    `<text class="tick" x="4" y="${(y(hi) + 4).toFixed(1)}">${hi.toFixed(2)}</text>`,
    `<text class="tick" x="4" y="${(y(lo) + 4).toFixed(1)}">${lo.toFixed(2)}</text>`,
    `<text class="tick" x="${L}" y="${H - 6}">${e(pts[0]!.period)}</text>`,
    `<text class="tick" x="${W - 60}" y="${H - 6}">${e(pts[pts.length - 1]!.period)}</text>`,
    `<polyline class="line" fill="none" stroke="#1a7f4b" stroke-width="2" points="${pts.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`,
  );
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img"><title>Stitched out-of-sample equity at month ends (1 = start); vertical lines start each fold's test window</title>${parts.join('')}</svg>`;
}

export function renderWalkForwardHtml(r: WalkForwardReport): string {
  const ef = r.efficiency;
  const st = r.stitched;
  const dsr = r.folds.map((f) => f.deflatedSharpe).filter((x): x is number => x !== null);
  const foldRows = r.folds.map((f) => [
    String(f.index + 1),
    `${f.train.from} .. ${f.train.to}`,
    `${f.test.from} .. ${f.test.to}${f.partial ? ' (partial)' : ''}`,
    f.chosen === null ? 'none' : label(r.variantResults[f.chosen]!.values),
    ...foldMetricCells(f),
  ]);
  return page(
    `VixShield walk-forward sweep: preset ${r.preset}`,
    `<div class="card source">${e(r.prices)}</div>
${card(
  'Walk-forward',
  `${table(
    ['item', 'value'],
    [
      ['variants tried', `${r.variants} (${r.mode})`],
      ['windows', `${r.spec.text} over ${r.window.from} .. ${r.window.to}`],
      ['folds', String(r.folds.length)],
      ['jobs / from cache / workers', `${r.jobs} / ${r.cacheHits} / ${r.workers}`],
      ['elapsed', `${(r.elapsedMs / 1000).toFixed(1)} s`],
      ['data version', r.dataVersion],
    ],
  )}<p><b>Fold rule.</b> ${e(r.foldRule)}</p><p><b>Objective.</b> ${e(r.objective)}</p>`,
)}
${card(
  'Folds',
  table(
    [
      'fold',
      'train',
      'test',
      'chosen on train',
      'IS Sharpe',
      'OOS Sharpe',
      'IS CAGR',
      'OOS CAGR',
      'OOS MDD',
      'OOS rank',
      'DSR (train best)',
    ],
    foldRows,
    4,
  ),
)}
${card(
  'Stitched out-of-sample',
  `${equityChart(r)}${table(
    ['item', 'value'],
    [
      ['window', `${st.from} .. ${st.to} (${st.months} months)`],
      ['total return / CAGR', `${pctText(st.totalReturn, 2)} / ${pctText(st.cagr, 2)}`],
      ['Sharpe (monthly x sqrt 12)', num(st.sharpeMonthly)],
      ['max drawdown at month ends', pctText(st.maxDrawdownMonthEnd)],
      ['worst daily drawdown inside one test window', pctText(st.worstFoldMaxDrawdown)],
      [
        'walk-forward efficiency (Sharpe)',
        `${num(ef.sharpe)} = mean OOS ${num(ef.meanOutOfSampleSharpe)} / mean IS ${num(ef.meanInSampleSharpe)}`,
      ],
      [
        'walk-forward efficiency (CAGR)',
        `${num(ef.cagr)} = stitched OOS ${pctText(st.cagr, 2)} / mean IS ${pctText(ef.meanInSampleCagr, 2)}`,
      ],
    ],
  )}`,
)}
${card(
  'Overfitting',
  `<p>${e(r.pbo.method)}</p><p><b>PBO sample.</b> ${e(r.pbo.sample)}</p>${table(
    ['item', 'value'],
    [
      ['variants tried', String(r.variants)],
      [
        `deflated Sharpe of each fold's train best (trials = ${r.variants})`,
        dsr.map((x) => x.toFixed(3)).join(', ') || '-',
      ],
      ...pboRows(r.pbo),
    ],
  )}`,
)}
${card(
  'Variants',
  table(
    ['variant', 'chosen in folds', 'train Sharpe by fold', 'test Sharpe by fold'],
    r.variantResults.map((v) => [
      label(v.values),
      String(v.timesChosen),
      v.trainSharpe.map((x) => num(x)).join(' '),
      v.testSharpe.map((x) => num(x)).join(' '),
    ]),
  ),
)}
${card('Notes', `<ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`)}`,
  );
}
