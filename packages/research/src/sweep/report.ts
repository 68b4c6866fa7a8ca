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

/** Upper bound of a label's width in px at `fontPx` in the heatmap's monospace font (0.6 em a character). */
function monoWidthPx(text: string, fontPx: number): number {
  return Math.ceil(text.length * fontPx * 0.62);
}

/**
 * Heatmap of the mean in-sample Sharpe over the first two swept parameters (others averaged). The label
 * gutters and the cell width are sized from the labels themselves (monospace, so the width is known):
 * no value, axis title or caption is cut or runs into its neighbour.
 */
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
  const font = 12;
  const pad = 8;
  const xTitle = `columns: ${px.path}`;
  const yTitle = `rows: ${py.path}`;
  const caption = 'cell: mean in-sample Sharpe (other swept parameters averaged)';
  // Cells are as wide as the widest column value (or a Sharpe like "-12.34"); the left gutter as the
  // widest row value.
  const cw = Math.max(64, ...px.values.map((x) => monoWidthPx(String(x), font) + 2 * pad));
  const ch = 28;
  const L = Math.max(40, ...py.values.map((y) => monoWidthPx(String(y), font) + 2 * pad));
  const T = 2 * font + 18;
  const gridW = L + px.values.length * cw;
  const W = Math.max(
    gridW + pad,
    ...[xTitle, yTitle, caption].map((text) => monoWidthPx(text, font) + 2 * pad),
  );
  const H = T + py.values.length * ch + 2 * (font + 8) + pad;
  const color = (v: number) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    const r = Math.round(192 + (26 - 192) * t);
    const g = Math.round(57 + (127 - 57) * t);
    const b = Math.round(43 + (75 - 43) * t);
    return `rgb(${r},${g},${b})`;
  };
  const label = (x: number, y: number, text: string, anchor: 'start' | 'middle' | 'end' = 'start') =>
    `<text class="hm-label" x="${x}" y="${y}" text-anchor="${anchor}">${e(text)}</text>`;
  const parts: string[] = [label(pad, font + 4, xTitle)];
  px.values.forEach((x, i) => {
    parts.push(label(L + i * cw + cw / 2, T - 6, String(x), 'middle'));
  });
  py.values.forEach((y, j) => {
    parts.push(label(L - pad, T + j * ch + ch / 2 + 4, String(y), 'end'));
    px.values.forEach((x, i) => {
      const v = cells.get(`${String(x)}|${String(y)}`);
      const m = v ? v.reduce((a, b) => a + b, 0) / v.length : null;
      parts.push(
        `<rect x="${L + i * cw}" y="${T + j * ch}" width="${cw - 2}" height="${ch - 2}" fill="${m === null ? '#eee' : color(m)}"/><text class="hm-cell" x="${L + i * cw + cw / 2}" y="${T + j * ch + ch / 2 + 4}" text-anchor="middle">${m === null ? '-' : m.toFixed(2)}</text>`,
      );
    });
  });
  const below = T + py.values.length * ch;
  parts.push(label(pad, below + font + 8, yTitle));
  parts.push(label(pad, below + 2 * (font + 8), caption));
  return `<svg class="chart heatmap" viewBox="0 0 ${W} ${H}" style="max-width:${W}px" role="img" aria-label="sweep heatmap"><style>.hm-label{font:${font}px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;fill:#667085}.hm-cell{font:${font}px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;fill:#fff}</style>${parts.join('')}</svg>`;
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
