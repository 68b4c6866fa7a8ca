import { escapeHtml as e } from '@vixshield/app';
import { pctText } from '../studies/common';
import { card, page, table } from '../studies/html';
import type { SweepReport } from './sweep';
import { pboLines, pboRows } from './walk-forward-report';

const num = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '-' : x.toFixed(d));

function label(values: ReadonlyArray<readonly [string, unknown]>): string {
  return values.map(([p, v]) => `${p}=${String(v)}`).join(' ');
}

export function formatSweep(r: SweepReport): string {
  const o = r.overfitting;
  const lines = [
    `sweep over preset ${r.preset}: ${r.variants} variants (${r.mode}; grid size ${r.gridSize}), ${r.jobs} jobs, ${r.cacheHits} from cache, ${r.workers} worker(s), ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  window ${r.window.from} .. ${r.window.to}; ranked on ${r.inSampleWindow.from} .. ${r.inSampleWindow.to}${r.holdoutWindow ? `; hold-out ${r.holdoutWindow.from} .. ${r.holdoutWindow.to}` : ' (no hold-out)'}`,
    `  data version ${r.dataVersion}`,
    `  prices: ${r.prices}`,
    '',
    `variant | CAGR | MDD | Sharpe | win rate | trades${r.holdoutWindow ? ' | hold-out Sharpe | hold-out CAGR' : ''}`,
  ];
  const order = r.rows
    .map((_, i) => i)
    .sort((a, b) => (r.rows[b]!.inSample.sharpe ?? -1e9) - (r.rows[a]!.inSample.sharpe ?? -1e9));
  for (const i of order) {
    const x = r.rows[i]!;
    const s = x.inSample;
    lines.push(
      [
        label(x.values),
        pctText(s.cagr, 2),
        pctText(s.maxDrawdown),
        num(s.sharpe),
        pctText(s.winRate),
        String(s.trades),
        ...(x.outOfSample ? [num(x.outOfSample.sharpe), pctText(x.outOfSample.cagr, 2)] : []),
      ].join(' | '),
    );
  }
  lines.push('');
  lines.push(`overfitting (${r.variants} variants tried): ${o.method}; and the PBO`);
  lines.push(
    `  in-sample best: ${o.bestIndex === null ? '-' : label(r.rows[o.bestIndex]!.values)} (Sharpe ${num(o.bestSharpe)})`,
  );
  lines.push(
    `  deflated Sharpe of the best: ${num(o.deflatedSharpe, 3)} (probability its true Sharpe beats the best of ${r.variants} noise trials)`,
  );
  if (r.holdoutWindow)
    lines.push(
      `  hold-out Sharpe of the in-sample best: ${num(o.bestOutOfSampleSharpe)}; its hold-out relative rank ${pctText(o.bestOutOfSampleRelativeRank, 0)} (100% = best); IS/OOS Spearman ${num(o.rankCorrelation)}`,
    );
  lines.push(...pboLines(r.pbo));
  return `${lines.join('\n')}\n`;
}

/** Heatmap of the mean in-sample Sharpe over the first two swept parameters (others averaged). */
export function sweepHeatmap(r: SweepReport): string {
  if (r.params.length < 2) return '<p class="na">A heatmap needs two swept parameters.</p>';
  const [px, py] = r.params as [SweepReport['params'][0], SweepReport['params'][0]];
  const cells = new Map<string, number[]>();
  for (const row of r.rows) {
    const vx = String(row.values.find(([p]) => p === px.path)?.[1]);
    const vy = String(row.values.find(([p]) => p === py.path)?.[1]);
    if (row.inSample.sharpe === null) continue;
    const k = `${vx}|${vy}`;
    cells.set(k, [...(cells.get(k) ?? []), row.inSample.sharpe]);
  }
  const all = [...cells.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const lo = Math.min(...all, 0);
  const hi = Math.max(...all, 0);
  const cw = 70;
  const ch = 28;
  const L = 110;
  const T = 30;
  const W = L + px.values.length * cw + 10;
  const H = T + py.values.length * ch + 30;
  const color = (v: number) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    const r = Math.round(192 + (26 - 192) * t);
    const g = Math.round(57 + (127 - 57) * t);
    const b = Math.round(43 + (75 - 43) * t);
    return `rgb(${r},${g},${b})`;
  };
  const parts: string[] = [`<text class="tick" x="${L}" y="14">${e(px.path)} →</text>`];
  px.values.forEach((x, i) => {
    parts.push(
      `<text class="tick" x="${L + i * cw + cw / 2}" y="${T - 4}" text-anchor="middle">${e(String(x))}</text>`,
    );
  });
  py.values.forEach((y, j) => {
    parts.push(`<text class="tick" x="4" y="${T + j * ch + ch / 2 + 4}">${e(String(y))}</text>`);
    px.values.forEach((x, i) => {
      const v = cells.get(`${String(x)}|${String(y)}`);
      const m = v ? v.reduce((a, b) => a + b, 0) / v.length : null;
      parts.push(
        `<rect x="${L + i * cw}" y="${T + j * ch}" width="${cw - 2}" height="${ch - 2}" fill="${m === null ? '#eee' : color(m)}"/><text x="${L + i * cw + cw / 2}" y="${T + j * ch + ch / 2 + 4}" text-anchor="middle" fill="#fff" font-size="11">${m === null ? '-' : m.toFixed(2)}</text>`,
      );
    });
  });
  parts.push(`<text class="tick" x="4" y="${H - 8}">rows: ${e(py.path)}; cell: mean in-sample Sharpe</text>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" style="max-width:${W}px" role="img">${parts.join('')}</svg>`;
}

export function renderSweepHtml(r: SweepReport): string {
  const o = r.overfitting;
  const rows = r.rows.map((x) => [
    label(x.values),
    pctText(x.inSample.cagr, 2),
    pctText(x.inSample.maxDrawdown),
    num(x.inSample.sharpe),
    pctText(x.inSample.winRate),
    String(x.inSample.trades),
    x.outOfSample ? num(x.outOfSample.sharpe) : '-',
    x.outOfSample ? pctText(x.outOfSample.cagr, 2) : '-',
  ]);
  return page(
    `VixShield sweep: preset ${r.preset}`,
    `<div class="card source">${e(r.prices)}</div>
${card(
  'Sweep',
  table(
    ['item', 'value'],
    [
      ['variants tried', `${r.variants} (${r.mode}; grid size ${r.gridSize})`],
      ['window', `${r.window.from} .. ${r.window.to}`],
      ['ranked on', `${r.inSampleWindow.from} .. ${r.inSampleWindow.to}`],
      ['hold-out', r.holdoutWindow ? `${r.holdoutWindow.from} .. ${r.holdoutWindow.to}` : 'none'],
      ['jobs / from cache / workers', `${r.jobs} / ${r.cacheHits} / ${r.workers}`],
      ['elapsed', `${(r.elapsedMs / 1000).toFixed(1)} s`],
      ['data version', r.dataVersion],
    ],
  ),
)}
${card(
  'Overfitting',
  `<p>${e(o.method)}</p><p>${e(r.pbo.method)}</p><p><b>PBO sample.</b> ${e(r.pbo.sample)}</p>${table(
    ['item', 'value'],
    [
      ['variants tried', String(r.variants)],
      ['in-sample best', o.bestIndex === null ? '-' : label(r.rows[o.bestIndex]!.values)],
      ['its Sharpe', num(o.bestSharpe)],
      ['deflated Sharpe (probability)', num(o.deflatedSharpe, 3)],
      ['hold-out Sharpe of the best', num(o.bestOutOfSampleSharpe)],
      ['hold-out relative rank of the best', pctText(o.bestOutOfSampleRelativeRank, 0)],
      ['IS / OOS Spearman', num(o.rankCorrelation)],
      ...pboRows(r.pbo),
    ],
  )}`,
)}
${card('Heatmap', sweepHeatmap(r))}
${card('Variants', table(['variant', 'CAGR', 'MDD', 'Sharpe', 'win rate', 'trades', 'hold-out Sharpe', 'hold-out CAGR'], rows))}`,
  );
}
