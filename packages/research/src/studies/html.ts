import { escapeHtml, labelWidthPx, REPORT_CSS } from '@vixshield/app';
import { canonicalJson } from '@vixshield/core';
import type { ClaimsReport } from './claims';
import { type Interval, pctText, type StudyHeader } from './common';
import type { ComparisonReport } from './comparison';
import type { EdrStudyReport } from './edr-study';
import type { SeedStudyReport, VixSpikesReport } from './seed-vix';

/** Self-contained study pages (inline CSS from the backtest report, inline SVG, no scripts). */

const e = escapeHtml;

export function headerCard(h: StudyHeader): string {
  const rows: Array<[string, string]> = [
    ['question', h.question],
    ['sample', `${h.sample.from} .. ${h.sample.to} (${h.sample.tradingDays} trading days)`],
    ['in-sample / out-of-sample', `${h.split.inSample} / ${h.split.outOfSample}`],
    ['split rule', h.split.rule],
    ['variants tried', String(h.variantsTried)],
    ['bootstrap', `${h.iterations} resamples, seed ${h.seed}`],
    ['parameters', JSON.stringify(h.parameters)],
  ];
  return `<div class="card source">${e(h.prices)}</div>
<div class="card"><h2>Study</h2><div class="tw"><table>${rows
    .map(
      ([k, v]) =>
        `<tr><th>${e(k)}</th><td style="white-space:normal" class="${k === 'parameters' ? 'mono' : ''}">${e(v)}</td></tr>`,
    )
    .join('')}</table></div></div>`;
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title><style>${REPORT_CSS}
.v-supported{color:var(--pos);font-weight:700}.v-not{color:var(--neg);font-weight:700}.v-inc{color:var(--comp);font-weight:700}</style></head>
<body><main><h1>${e(title)}</h1>
${body}
</main></body></html>
`;
}

export function card(title: string, body: string): string {
  return `<div class="card"><h2>${e(title)}</h2>${body}</div>`;
}

export function table(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  rightFrom = 1,
): string {
  const th = head.map((h, i) => `<th class="${i >= rightFrom ? 'r' : ''}">${e(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td class="${i >= rightFrom ? 'r' : ''}">${e(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></div>`;
}

function verdictClass(v: string): string {
  return v === 'supported' ? 'v-supported' : v === 'not supported' ? 'v-not' : 'v-inc';
}

/**
 * One row per interval on a shared [0, max] axis: the interval as a bar, the estimate as a dot, the
 * claimed range shaded (or a threshold line).
 */
export function intervalChart(
  rows: ReadonlyArray<{ label: string; ci: Interval | null; low: number; high: number }>,
  format: (x: number) => string,
): string {
  // The label gutter is as wide as the longest label (11 px text, 0.62 em a character at most): a
  // long variant name never runs into the chart; the plot keeps its 530 px.
  const left = Math.max(200, ...rows.map((r) => Math.ceil(labelWidthPx(r.label, 11)) + 12));
  const right = 30;
  const W = left + 530 + right;
  const rowH = 34;
  const H = rows.length * rowH + 30;
  const maxV = Math.max(1, ...rows.flatMap((r) => [r.high, r.ci?.upper ?? 0]));
  const minV = Math.min(0, ...rows.flatMap((r) => [r.low, r.ci?.lower ?? 0]));
  const x = (v: number) => left + ((v - minV) / (maxV - minV)) * (W - left - right);
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = minV + ((maxV - minV) * k) / 4;
    parts.push(
      `<line class="grid" x1="${x(v)}" x2="${x(v)}" y1="10" y2="${H - 20}"/><text class="tick" x="${x(v)}" y="${H - 6}" text-anchor="middle">${e(format(v))}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = 20 + i * rowH;
    parts.push(`<text class="tick" x="4" y="${y + 4}">${e(r.label)}</text>`);
    parts.push(
      `<rect x="${x(r.low)}" y="${y - 10}" width="${Math.max(2, x(r.high) - x(r.low))}" height="20" fill="rgba(217,119,6,.18)"/>`,
    );
    if (r.ci) {
      parts.push(
        `<line x1="${x(r.ci.lower)}" x2="${x(r.ci.upper)}" y1="${y}" y2="${y}" stroke="#2457c5" stroke-width="3"/>`,
      );
      parts.push(`<circle cx="${x(r.ci.estimate)}" cy="${y}" r="4.5" fill="#2457c5"/>`);
    }
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img"><title>claimed range (shaded) vs measured 95% interval (blue)</title>${parts.join('')}</svg>`;
}

export function renderClaimsHtml(r: ClaimsReport): string {
  const fmt = (id: string, x: number | null | undefined) =>
    id === 'b2' ? (x ?? Number.NaN).toFixed(2) : pctText(x);
  const rows = r.claims.map((c) => [
    `(${c.id}) ${c.claim}`,
    fmt(c.id, c.measured?.estimate),
    c.measured ? `${fmt(c.id, c.measured.lower)} .. ${fmt(c.id, c.measured.upper)}` : '-',
    String(c.measured?.n ?? 0),
    `${fmt(c.id, c.halves.inSample)} / ${fmt(c.id, c.halves.outOfSample)}`,
    c.verdict,
  ]);
  const summary = `<div class="tw"><table><thead><tr><th>claim</th><th class="r">measured</th><th class="r">95% interval</th><th class="r">n</th><th class="r">halves (in / out)</th><th>verdict</th></tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr><td style="white-space:normal">${e(row[0]!)}</td><td class="r">${e(row[1]!)}</td><td class="r">${e(row[2]!)}</td><td class="r">${e(row[3]!)}</td><td class="r">${e(row[4]!)}</td><td class="${verdictClass(row[5]!)}">${e(row[5]!)}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
  const shares = r.claims.filter((c) => c.id !== 'b2');
  const chart = intervalChart(
    shares.map((c) => ({
      label: `(${c.id})`,
      ci: c.measured,
      low: c.target.kind === 'range' ? c.target.low : c.target.threshold,
      high: c.target.kind === 'range' ? c.target.high : 1,
    })),
    (v) => pctText(v, 0),
  );
  const details = r.claims
    .map((c) =>
      card(
        `(${c.id}) ${c.claim}`,
        `<p><b>Verdict: <span class="${verdictClass(c.verdict)}">${e(c.verdict)}</span></b></p>
<p class="muted">Rule: ${e(c.rule)}</p>
<p>Measure: ${e(c.measure)}</p>
<p>Interval: ${e(c.measured?.method ?? 'none')}</p>
<p>Variants: ${e(c.variants.join('; '))}</p>
${table(
  ['item', 'value'],
  c.details.map((d) => [d.label, d.value]),
)}
${c.notes.map((n) => `<p class="muted">${e(n)}</p>`).join('')}`,
      ),
    )
    .join('\n');
  return page(
    'VixShield study: the published claims',
    `${headerCard(r.header)}
${card('Verdicts', summary)}
${card('Claimed range (shaded) against the measured 95% interval (blue)', chart)}
${details}`,
  );
}

export function stringifyStudyJson(x: unknown): string {
  return `${JSON.stringify(canonicalJson(x), null, 2)}\n`;
}

/** VIX closes over the window with the episodes shaded and the band drawn. */
export function vixEpisodeChart(
  vix: ReadonlyArray<{ date: string; vix: number }>,
  episodes: ReadonlyArray<{ start: string; end: string }>,
  band: [number, number],
): string {
  const W = 1100;
  const H = 260;
  const L = 40;
  const R = 10;
  const T = 10;
  const B = 24;
  if (vix.length < 2) return '<p class="na">no VIX data</p>';
  const maxV = Math.min(60, Math.max(...vix.map((p) => p.vix)));
  const x = (i: number) => L + (i / (vix.length - 1)) * (W - L - R);
  const y = (v: number) => T + (1 - Math.min(v, maxV) / maxV) * (H - T - B);
  const idx = new Map(vix.map((p, i) => [p.date, i]));
  const parts: string[] = [];
  for (const ep of episodes) {
    const a = idx.get(ep.start);
    const b = idx.get(ep.end);
    if (a === undefined || b === undefined) continue;
    parts.push(
      `<rect x="${x(a)}" y="${T}" width="${Math.max(1.5, x(b) - x(a))}" height="${H - T - B}" fill="rgba(217,119,6,.30)"/>`,
    );
  }
  parts.push(
    `<rect x="${L}" y="${y(band[1])}" width="${W - L - R}" height="${y(band[0]) - y(band[1])}" fill="rgba(36,87,197,.12)"/>`,
  );
  for (const v of [10, 20, 30, 40, 50]) {
    if (v > maxV) break;
    parts.push(
      `<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="4" y="${y(v) + 4}">${v}</text>`,
    );
  }
  let lastYear = '';
  vix.forEach((p, i) => {
    const yr = p.date.slice(0, 4);
    if (yr !== lastYear) {
      lastYear = yr;
      parts.push(`<text class="tick" x="${x(i)}" y="${H - 6}">${yr}</text>`);
    }
  });
  const pts = vix.map((p, i) => `${x(i).toFixed(1)},${y(p.vix).toFixed(1)}`).join(' ');
  parts.push(`<polyline class="line vix" points="${pts}"/>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img"><title>VIX close; band shaded blue; episodes shaded orange</title>${parts.join('')}</svg>`;
}

/** Horizontal bars around zero, one per row (e.g. mean episode return per variant). */
export function barChart(
  rows: ReadonlyArray<{ label: string; value: number | null }>,
  format: (v: number) => string,
): string {
  // Gutter sized from the longest label, as in intervalChart; the value labels get R px right of a bar.
  const L = Math.max(260, ...rows.map((r) => Math.ceil(labelWidthPx(r.label, 11)) + 12));
  const R = 70;
  const W = L + 430 + R;
  const rowH = 26;
  const H = rows.length * rowH + 10;
  const vals = rows.map((r) => r.value ?? 0);
  const lo = Math.min(0, ...vals);
  const hi = Math.max(0, ...vals);
  const span = hi - lo || 1;
  const x = (v: number) => L + ((v - lo) / span) * (W - L - R);
  const parts = rows.map((r, i) => {
    const y = 5 + i * rowH;
    const v = r.value ?? 0;
    const cls = v >= 0 ? 'bar pos' : 'bar neg';
    return `<text class="tick" x="4" y="${y + 15}">${e(r.label)}</text><rect class="${cls}" x="${Math.min(x(0), x(v))}" y="${y + 3}" width="${Math.max(1, Math.abs(x(v) - x(0)))}" height="${rowH - 8}"/><text class="tick" x="${Math.max(x(0), x(v)) + 4}" y="${y + 15}">${e(r.value === null ? '-' : format(v))}</text>`;
  });
  parts.push(`<line class="zero" x1="${x(0)}" x2="${x(0)}" y1="0" y2="${H}"/>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img">${parts.join('')}</svg>`;
}

export function renderSeedHtml(r: SeedStudyReport): string {
  const p2 = (x: number | null | undefined) => pctText(x, 2);
  const variantRows = r.variants.map((s) => [
    s.label,
    p2(s.meanReturn?.estimate),
    s.meanReturn ? `${p2(s.meanReturn.lower)} .. ${p2(s.meanReturn.upper)}` : '-',
    p2(s.totalReturn),
    p2(s.worstReturn),
    p2(s.tailMean10),
    `${p2(s.meanMaxDrawdown)} / ${p2(s.worstMaxDrawdown)}`,
    p2(s.hedgePnlTotal),
    `${pctText(s.winRate)} of ${s.tradesClosed}`,
    `${s.chainsRolled} (${s.chainsRecovered})`,
    `${p2(s.halves.inSample)} / ${p2(s.halves.outOfSample)}`,
    `${p2(s.fullWindow.cagr)} / ${p2(s.fullWindow.maxDrawdown)}`,
  ]);
  const epHead = [
    'start',
    'end',
    'days',
    'end reason',
    'VIX start / peak',
    ...r.variants.map((s) => s.label),
  ];
  const epRows = r.episodes.map((ep, i) => [
    ep.start,
    ep.end,
    String(ep.days),
    ep.endReason,
    `${ep.startVix.toFixed(2)} / ${ep.peakVix.toFixed(2)}`,
    ...r.variants.map((s) => p2(s.outcomes[i]?.return)),
  ]);
  return page(
    'VixShield study: VIX 17-18 episodes (the seed question)',
    `${headerCard(r.header)}
${card('Episode rule', `<p>${e(r.ruleText)}</p><p><b>${r.episodes.length} episodes</b> in the sample.</p>`)}
${card('VIX and the episodes', vixEpisodeChart(r.vix, r.episodes, [r.rule.bandLow, r.rule.bandHigh]))}
${card(
  'Mean episode return by variant (share of equity before the episode)',
  barChart(
    r.variants.map((s) => ({ label: s.label, value: s.meanReturn?.estimate ?? null })),
    (v) => pctText(v, 2),
  ),
)}
${card(
  'Worst episode by variant',
  barChart(
    r.variants.map((s) => ({ label: s.label, value: s.worstReturn })),
    (v) => pctText(v, 2),
  ),
)}
${card(
  'Variants',
  table(
    [
      'variant',
      'mean return',
      '95% interval',
      'compounded',
      'worst',
      'worst-10% mean',
      'mean / worst DD',
      'hedge P&L (sum)',
      'win rate',
      'rolled (recovered)',
      'halves in / out',
      'full window CAGR / MDD',
    ],
    variantRows,
  ),
)}
${card('Episodes (return per variant)', table(epHead, epRows, 2))}
${card('Notes', r.notes.map((n) => `<p class="muted">${e(n)}</p>`).join(''))}`,
  );
}

export function renderEdrHtml(r: EdrStudyReport): string {
  const rows = r.cells.map((c) => [
    c.mode,
    `${c.multiple.toFixed(1)} x`,
    c.meanEdrPct === null ? '-' : `${c.meanEdrPct.toFixed(3)}%`,
    pctText(c.closeInside?.estimate),
    c.closeInside ? `${pctText(c.closeInside.lower)} .. ${pctText(c.closeInside.upper)}` : '-',
    pctText(c.rangeInside?.estimate),
    `${pctText(c.halves.inSample)} / ${pctText(c.halves.outOfSample)}`,
  ]);
  const chart = intervalChart(
    r.cells.map((c) => ({
      label: `${c.mode} ${c.multiple.toFixed(1)}x`,
      ci: c.closeInside,
      low: 0.8,
      high: 1,
    })),
    (v) => pctText(v, 0),
  );
  return page(
    'VixShield study: EDR computation and containment',
    `${headerCard(r.header)}
${card('Next-day close inside close +- multiple x EDR (blue: 95% interval; shaded: above 80%)', chart)}
${card('All cells', table(['mode', 'multiple', 'mean EDR', 'close inside', '95% interval', 'range inside', 'halves in / out'], rows, 2))}
${card(
  'Smallest multiple with the whole interval above 80%',
  table(
    ['mode', 'multiple'],
    Object.entries(r.smallestMultipleAbove80).map(([m, x]) => [m, x === null ? 'none tried' : `${x} x`]),
  ),
)}
${card('Notes', r.notes.map((n) => `<p class="muted">${e(n)}</p>`).join(''))}`,
  );
}

export function renderComparisonHtml(r: ComparisonReport): string {
  const p = (x: number | null | undefined) => pctText(x, 2);
  const rows = r.rows.map((x) => [
    x.label,
    p(x.cagr),
    pctText(x.maxDrawdown),
    x.sharpe?.toFixed(2) ?? '-',
    x.deflatedSharpe?.toFixed(3) ?? '-',
    `${pctText(x.winRate)} of ${x.trades}`,
    p(x.hedgePnlPctPerYear),
    `${x.rolledChains} (${pctText(x.shareRecovered)})`,
    p(x.cvar95),
    `${p(x.inSample.return)} / ${p(x.outOfSample.return)}`,
    `${pctText(x.inSample.maxDrawdown)} / ${pctText(x.outOfSample.maxDrawdown)}`,
  ]);
  const extras = r.rows.filter((x) => x.extra.length > 0);
  return page(
    `VixShield study: ${r.header.study}`,
    `${headerCard(r.header)}
${card(
  'CAGR by variant',
  barChart(
    r.rows.map((x) => ({ label: x.label.slice(0, 40), value: x.cagr })),
    (v) => pctText(v, 2),
  ),
)}
${card(
  'Max drawdown by variant',
  barChart(
    r.rows.map((x) => ({
      label: x.label.slice(0, 40),
      value: x.maxDrawdown === null ? null : -x.maxDrawdown,
    })),
    (v) => pctText(v, 1),
  ),
)}
${card(
  'Variants',
  table(
    [
      'variant',
      'CAGR',
      'MDD',
      'Sharpe',
      'deflated Sharpe',
      'win rate',
      'hedge P&L / yr',
      'rolled (recovered)',
      'CVaR 95',
      'return in / out',
      'MDD in / out',
    ],
    rows,
  ),
)}
${
  extras.length
    ? card(
        'More',
        table(
          ['variant', 'item', 'value'],
          extras.flatMap((x) => x.extra.map((e2) => [x.label, e2.label, e2.value])),
          3,
        ),
      )
    : ''
}
${card('Notes', r.notes.map((n) => `<p class="muted">${e(n)}</p>`).join(''))}`,
  );
}

export function renderVixSpikesHtml(r: VixSpikesReport): string {
  const p2 = (x: number | null | undefined) => pctText(x, 2);
  const sections = r.regimes
    .map((g) =>
      card(
        `${g.regime}: ${g.episodes.length} episodes`,
        `<p class="muted">${e(g.ruleText)}</p>
${barChart(
  g.variants.map((s) => ({ label: s.label, value: s.meanReturn?.estimate ?? null })),
  (v) => pctText(v, 2),
)}
${table(
  ['variant', 'mean return', '95% interval', 'worst', 'worst DD', 'hedge P&L', 'rolled (recovered)'],
  g.variants.map((s) => [
    s.label,
    p2(s.meanReturn?.estimate),
    s.meanReturn ? `${p2(s.meanReturn.lower)} .. ${p2(s.meanReturn.upper)}` : '-',
    p2(s.worstReturn),
    p2(s.worstMaxDrawdown),
    p2(s.hedgePnlTotal),
    `${s.chainsRolled} (${s.chainsRecovered})`,
  ]),
)}`,
      ),
    )
    .join('\n');
  return page(
    'VixShield study: VIX spikes',
    `${headerCard(r.header)}\n${sections}\n${card('Notes', r.notes.map((n) => `<p class="muted">${e(n)}</p>`).join(''))}`,
  );
}
