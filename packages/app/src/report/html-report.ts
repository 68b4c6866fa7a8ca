import {
  type BacktestResult,
  type BacktestSummary,
  type CondorTrade,
  canonicalJson,
  drawdownSeries,
  type IsoDate,
  type Json,
  toDayNumber,
} from '@vixshield/core';
import { modelErrorStatement, oneDayLevelBoundsText } from './model-error';

/**
 * Self-contained backtest reports: one HTML string (inline CSS and inline SVG charts drawn here; no
 * scripts, no network references, no fonts to fetch) and a deterministic JSON document.
 * Every piece of text that comes from data goes through `escapeHtml`.
 */

export interface CostSensitivityPoint {
  /** Share of the bid-ask spread paid on fills, from the favourable side: 0 = far side, 0.5 = mid, 1 = natural. */
  readonly spreadShare: number;
  readonly summary: BacktestSummary;
}

/**
 * The same run with 0-2 session expiries priced at a multiple of the model's one-day vol level
 * (ONE_DAY_LEVEL_SENSITIVITY_SCALES, the bounds of its measured error; 1 is the run itself).
 */
export interface ModelSensitivityPoint {
  readonly oneDayLevelScale: number;
  readonly summary: BacktestSummary;
}

export interface ReportComparison {
  readonly label: string;
  readonly result: BacktestResult;
  readonly summary: BacktestSummary;
}

export interface HtmlReportOptions {
  readonly title: string;
  readonly costSensitivity?: readonly CostSensitivityPoint[];
  readonly modelSensitivity?: readonly ModelSensitivityPoint[];
  readonly comparison?: ReportComparison;
  /** Rows of the trade log to print (default 200); the report says how many were left out. */
  readonly maxTradeRows?: number;
}

// ---------------------------------------------------------------------------------------------------
// formatting

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the five HTML-significant characters; safe for element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const NA = '<span class="na" title="not defined for this sample (see the notes)">n/a</span>';

function fixed(x: number, digits: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function pct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : `${fixed(x * 100, digits)}%`;
}
function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : fixed(x, digits);
}
function usd(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  const s = fixed(Math.abs(x), digits);
  return x < 0 ? `-$${s}` : `$${s}`;
}
/** ' pos' / ' neg' / '' to append inside a class attribute. */
function signClass(x: number | null | undefined): string {
  if (x === null || x === undefined || x === 0 || !Number.isFinite(x)) return '';
  return x > 0 ? ' pos' : ' neg';
}
/** Plain text for SVG labels (escaped). */
function t(text: string): string {
  return escapeHtml(text);
}

// ---------------------------------------------------------------------------------------------------
// SVG primitives

interface Frame {
  readonly w: number;
  readonly h: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
const FRAME: Frame = { w: 900, h: 260, left: 70, right: 20, top: 14, bottom: 30 };

interface Scale {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
}

function makeScale(f: Frame, x0: number, x1: number, y0: number, y1: number): Scale {
  const xs = x1 > x0 ? x1 - x0 : 1;
  const ys = y1 > y0 ? y1 - y0 : 1;
  return {
    x: (v) => f.left + ((v - x0) / xs) * (f.w - f.left - f.right),
    y: (v) => f.h - f.bottom - ((v - y0) / ys) * (f.h - f.top - f.bottom),
  };
}

/** The smallest "nice" step (1, 2, 2.5, 5 or 10 x 10^k) at least `raw` (> 0). */
export function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * mag) as number;
}

/** "Nice" tick values covering [lo, hi] (1-2-5 steps). */
function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag) as number;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function extent(values: readonly number[], pad = 0.05): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi === lo) return [lo - Math.abs(lo || 1) * 0.05, hi + Math.abs(hi || 1) * 0.05];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

const r2 = (v: number): string => (Math.round(v * 100) / 100).toString();

function polyline(xs: readonly number[], ys: readonly number[], s: Scale, cls: string): string {
  if (xs.length === 0) return '';
  const pts = xs.map((x, i) => `${r2(s.x(x))},${r2(s.y(ys[i] as number))}`).join(' ');
  return `<polyline class="${cls}" points="${pts}"/>`;
}

/** Date axis labels: up to ~8 evenly spaced dates (years when the span is long). */
function dateAxis(f: Frame, s: Scale, days: readonly number[], dates: readonly IsoDate[]): string {
  if (days.length === 0) return '';
  const first = days[0] as number;
  const last = days[days.length - 1] as number;
  const parts: string[] = [];
  if (last - first > 3 * 365) {
    let prevYear = '';
    dates.forEach((d, i) => {
      const y = d.slice(0, 4);
      if (y !== prevYear) {
        prevYear = y;
        const x = s.x(days[i] as number);
        parts.push(`<line class="grid" x1="${r2(x)}" x2="${r2(x)}" y1="${f.top}" y2="${f.h - f.bottom}"/>`);
        parts.push(`<text class="tick" x="${r2(x)}" y="${f.h - 10}" text-anchor="middle">${t(y)}</text>`);
      }
    });
  } else {
    const k = Math.min(8, dates.length);
    for (let j = 0; j < k; j++) {
      const i = k === 1 ? 0 : Math.round((j * (dates.length - 1)) / (k - 1));
      const x = s.x(days[i] as number);
      const anchor = j === 0 ? 'start' : j === k - 1 ? 'end' : 'middle';
      parts.push(
        `<text class="tick" x="${r2(x)}" y="${f.h - 10}" text-anchor="${anchor}">${t(dates[i] as string)}</text>`,
      );
    }
  }
  return parts.join('');
}

function yAxis(f: Frame, s: Scale, lo: number, hi: number, label: (v: number) => string): string {
  return niceTicks(lo, hi)
    .map((v) => {
      const y = r2(s.y(v));
      return `<line class="grid" x1="${f.left}" x2="${f.w - f.right}" y1="${y}" y2="${y}"/><text class="tick" x="${f.left - 6}" y="${y}" dy="4" text-anchor="end">${t(label(v))}</text>`;
    })
    .join('');
}

function svgOpen(f: Frame, title: string): string {
  return `<svg class="chart" viewBox="0 0 ${f.w} ${f.h}" role="img" aria-label="${t(title)}"><title>${t(title)}</title>`;
}

function legend(items: ReadonlyArray<{ cls: string; label: string }>): string {
  return `<div class="legend">${items.map((i) => `<span><i class="sw ${i.cls}"></i>${t(i.label)}</span>`).join('')}</div>`;
}

const shortUsd = (v: number): string => {
  const a = Math.abs(v);
  const s = a >= 1e6 ? `${r2(a / 1e6)}M` : a >= 1e3 ? `${r2(a / 1e3)}k` : r2(a);
  return `${v < 0 ? '-' : ''}$${s}`;
};

// ---------------------------------------------------------------------------------------------------
// charts

function equityChart(result: BacktestResult, comparison?: ReportComparison): string {
  const eq = result.equity;
  if (eq.length === 0) return '<p class="muted">No equity points.</p>';
  const days = eq.map((p) => toDayNumber(p.date));
  const values = eq.map((p) => p.equity);
  let compDays: number[] = [];
  let compValues: number[] = [];
  if (comparison && comparison.result.equity.length > 0 && comparison.result.initialEquity > 0) {
    const k = result.initialEquity / comparison.result.initialEquity;
    compDays = comparison.result.equity.map((p) => toDayNumber(p.date));
    compValues = comparison.result.equity.map((p) => p.equity * k);
  }
  const [y0, y1] = extent([...values, ...compValues, result.initialEquity]);
  const allDays = [...days, ...compDays];
  const s = makeScale(FRAME, Math.min(...allDays), Math.max(...allDays), y0, y1);
  const items = [{ cls: 'main', label: 'Equity' }];
  if (compValues.length > 0) {
    items.push({ cls: 'comp', label: `${comparison?.label ?? 'comparison'} (rebased to the same start)` });
  }
  return `${legend(items)}${svgOpen(FRAME, 'Equity curve')}${yAxis(FRAME, s, y0, y1, shortUsd)}${dateAxis(
    FRAME,
    s,
    days,
    eq.map((p) => p.date),
  )}${polyline(compDays, compValues, s, 'line comp')}${polyline(days, values, s, 'line main')}</svg>`;
}

function drawdownChart(result: BacktestResult): string {
  const eq = result.equity;
  if (eq.length === 0) return '';
  const days = eq.map((p) => toDayNumber(p.date));
  const withHedge = drawdownSeries([result.initialEquity, ...eq.map((p) => p.equity)]).slice(1);
  const withoutHedge = drawdownSeries([
    result.initialEquity,
    ...eq.map((p) => p.equity - p.hedgePnlToDate),
  ]).slice(1);
  const f: Frame = { ...FRAME, h: 200 };
  const lo = -Math.max(...withHedge, ...withoutHedge, 0.001) * 1.05;
  const s = makeScale(f, days[0] as number, days[days.length - 1] as number, lo, 0);
  const area = `<polygon class="area dd" points="${r2(s.x(days[0] as number))},${r2(s.y(0))} ${days.map((d, i) => `${r2(s.x(d))},${r2(s.y(-(withHedge[i] as number)))}`).join(' ')} ${r2(s.x(days[days.length - 1] as number))},${r2(s.y(0))}"/>`;
  return `${legend([
    { cls: 'dd', label: 'Drawdown with the hedge' },
    { cls: 'nohedge', label: 'Without the hedge (equity - hedge P&L to date)' },
  ])}${svgOpen(f, 'Drawdown')}${yAxis(f, s, lo, 0, (v) => `${r2(v * 100)}%`)}${dateAxis(
    f,
    s,
    days,
    eq.map((p) => p.date),
  )}${area}${polyline(
    days,
    withoutHedge.map((v) => -v),
    s,
    'line nohedge',
  )}</svg>`;
}

const VIX_BAND_EDGES: ReadonlyArray<{ lo: number; hi: number; cls: string; label: string }> = [
  { lo: 0, hi: 15, cls: 'b1', label: 'VIX < 15' },
  { lo: 15, hi: 20, cls: 'b2', label: '15-20' },
  { lo: 20, hi: 25, cls: 'b3', label: '20-25' },
  { lo: 25, hi: 1000, cls: 'b4', label: '> 25' },
];

function vixTimeline(result: BacktestResult): string {
  const eq = result.equity;
  if (eq.length === 0) return '';
  const f: Frame = { ...FRAME, h: 240 };
  const days = eq.map((p) => toDayNumber(p.date));
  const vix = eq.map((p) => p.vix);
  const hi = Math.max(30, ...vix) * 1.05;
  const lo = Math.max(0, Math.min(10, ...vix) - 1);
  const x0 = days[0] as number;
  const x1 = days[days.length - 1] as number;
  const s = makeScale(f, x0, x1, lo, hi);
  const bands = VIX_BAND_EDGES.map((b) => {
    const top = s.y(Math.min(b.hi, hi));
    const bottom = s.y(Math.max(b.lo, lo));
    if (bottom <= top) return '';
    return `<rect class="band ${b.cls}" x="${f.left}" y="${r2(top)}" width="${f.w - f.left - f.right}" height="${r2(bottom - top)}"/>`;
  }).join('');
  const vixAt = (d: IsoDate): number => {
    // VIX of the last equity point on or before d (markers sit on the line).
    const n = toDayNumber(d);
    let best = vix[0] as number;
    for (let i = 0; i < days.length && (days[i] as number) <= n; i++) best = vix[i] as number;
    return best;
  };
  const inRange = (d: IsoDate): boolean => toDayNumber(d) >= x0 && toDayNumber(d) <= x1;
  const markers: string[] = [];
  // Entries: the first condor of each chain (later ones in a chain were opened by a roll).
  const entryDates = [
    ...new Set(result.trades.filter((tr) => tr.rollsInChainBefore === 0).map((tr) => tr.openedOn)),
  ];
  for (const d of entryDates.filter(inRange)) {
    markers.push(
      `<circle class="mk entry" cx="${r2(s.x(toDayNumber(d)))}" cy="${r2(s.y(vixAt(d)))}" r="2.5"/>`,
    );
  }
  for (const tr of result.trades.filter((x) => x.exit === 'rolled' && inRange(x.closedOn))) {
    const x = s.x(toDayNumber(tr.closedOn));
    const y = s.y(vixAt(tr.closedOn));
    markers.push(
      `<path class="mk roll" d="M${r2(x)},${r2(y - 5)} L${r2(x + 4.5)},${r2(y + 3)} L${r2(x - 4.5)},${r2(y + 3)} Z"/>`,
    );
  }
  for (const h of result.hedgeTrades.filter((x) => inRange(x.openedOn))) {
    const x = s.x(toDayNumber(h.openedOn));
    markers.push(
      `<rect class="mk hedge" x="${r2(x - 3)}" y="${f.h - f.bottom - 8}" width="6" height="6"><title>${t(`hedge layer ${h.layer} opened ${h.openedOn}`)}</title></rect>`,
    );
  }
  return `${legend([
    { cls: 'b1', label: 'VIX < 15' },
    { cls: 'b2', label: '15-20' },
    { cls: 'b3', label: '20-25' },
    { cls: 'b4', label: '> 25' },
    { cls: 'vix', label: 'VIX close' },
    { cls: 'entry', label: 'condor entry' },
    { cls: 'roll', label: 'roll' },
    { cls: 'hedge', label: 'hedge layer opened (closed hedge trades)' },
  ])}${svgOpen(f, 'VIX regime timeline')}${bands}${yAxis(f, s, lo, hi, (v) => r2(v))}${dateAxis(
    f,
    s,
    days,
    eq.map((p) => p.date),
  )}${polyline(days, vix, s, 'line vix')}${markers.join('')}</svg>`;
}

/** Whole-dollar USD with thousands separators: "-$1,250". */
const wholeUsd = (v: number): string => {
  const a = Math.round(Math.abs(v));
  return `${v < 0 && a !== 0 ? '-' : ''}$${a.toLocaleString('en-US')}`;
};

/**
 * Upper bound of the width of `text` in px at `fontPx` (SVG tick labels, proportional font): 0.62 em
 * per character covers digits, "$", "," and "-" in the usual sans-serif fonts, so labels laid out with
 * it never overlap.
 */
export function labelWidthPx(text: string, fontPx: number): number {
  return text.length * fontPx * 0.62;
}

/**
 * Trade P&L histogram, full width: bins of equal USD width; the bin edges are labelled in USD (every
 * k-th edge, k chosen so the labels never overlap at the chart's size), the axes carry their titles.
 */
function histogram(trades: readonly CondorTrade[]): string {
  if (trades.length === 0) return '<p class="muted">No trades: no P&amp;L distribution.</p>';
  const pnl = trades.map((tr) => tr.pnl);
  const min = Math.min(...pnl);
  const max = Math.max(...pnl);
  // Bins of a round USD width (1-2-2.5-5 x 10^k) starting at a multiple of it, so zero is a bin edge
  // and the edge labels are round: about the Sturges count x 2, at most 40.
  const target = Math.max(1, Math.min(40, Math.ceil(Math.log2(pnl.length) + 1) * 2));
  const width = max > min ? niceStep((max - min) / target) : 1;
  const lo = max > min ? Math.floor(min / width) * width : min - 0.5;
  const bins = max > min ? Math.max(1, Math.floor((max - lo) / width) + 1) : 1;
  const hi = lo + width * bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of pnl) {
    const i = Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / width)));
    counts[i] = (counts[i] as number) + 1;
  }
  const f: Frame = { w: 900, h: 320, left: 64, right: 24, top: 14, bottom: 64 };
  const maxC = Math.max(...counts);
  const s = makeScale(f, lo, hi, 0, maxC * 1.08);
  const bars = counts
    .map((c, i) => {
      const a = lo + i * width;
      const b = a + width;
      const x = s.x(a);
      const w = Math.max(1, s.x(b) - x - 1);
      const y = s.y(c);
      const mid = (a + b) / 2;
      return `<rect class="bar ${mid < 0 ? 'neg' : 'pos'}" x="${r2(x)}" y="${r2(y)}" width="${r2(w)}" height="${r2(s.y(0) - y)}"><title>${t(`${wholeUsd(a)} to ${wholeUsd(b)}: ${c} trades`)}</title></rect>`;
    })
    .join('');
  // Bin-edge labels in USD: every k-th edge so that neighbours stay apart (12 px font in the viewBox).
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const fontPx = 12;
  const widest = Math.max(...edges.map((v) => labelWidthPx(wholeUsd(v), fontPx)));
  const binPx = s.x(lo + width) - s.x(lo);
  const every = Math.max(1, Math.ceil((widest + 8) / binPx));
  const xt = edges
    .map((v) => {
      // Every k-th edge counted from zero, so $0 is labelled when it is an edge.
      if (Math.round(v / width) % every !== 0) return '';
      const x = s.x(v);
      return `<line class="grid" x1="${r2(x)}" x2="${r2(x)}" y1="${f.h - f.bottom}" y2="${f.h - f.bottom + 4}"/><text class="tick bin" x="${r2(x)}" y="${f.h - f.bottom + 18}" text-anchor="middle">${t(wholeUsd(v))}</text>`;
    })
    .join('');
  const zero =
    lo < 0 && hi > 0
      ? `<line class="zero" x1="${r2(s.x(0))}" x2="${r2(s.x(0))}" y1="${f.top}" y2="${f.h - f.bottom}"/>`
      : '';
  const xTitle = `<text class="axis-title" x="${r2((f.left + f.w - f.right) / 2)}" y="${f.h - 12}" text-anchor="middle">${t(`P&L per trade, USD (${bins} bins of ${wholeUsd(width)})`)}</text>`;
  const yTitle = `<text class="axis-title" transform="translate(16 ${r2((f.top + f.h - f.bottom) / 2)}) rotate(-90)" text-anchor="middle">trades</text>`;
  return `${svgOpen(f, 'Trade P&L distribution')}${yAxis(f, s, 0, maxC * 1.08, (v) => r2(v))}${bars}${zero}${xt}${xTitle}${yTitle}</svg>`;
}

function sensitivityChart(points: readonly CostSensitivityPoint[]): string {
  const pts = [...points].sort((a, b) => a.spreadShare - b.spreadShare);
  const f: Frame = { w: 440, h: 200, left: 56, right: 12, top: 12, bottom: 30 };
  const one = (title: string, get: (s: BacktestSummary) => number | null, label: (v: number) => string) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const p of pts) {
      const v = get(p.summary);
      if (v !== null && Number.isFinite(v)) {
        xs.push(p.spreadShare);
        ys.push(v);
      }
    }
    if (xs.length === 0) return `<p class="muted">${t(title)}: n/a</p>`;
    const [y0, y1] = extent([...ys, 0]);
    const s = makeScale(f, 0, 1, y0, y1);
    const xt = [0, 0.25, 0.5, 0.75, 1]
      .map((v) => {
        const anchor = v === 0 ? 'start' : v === 1 ? 'end' : 'middle';
        return `<text class="tick" x="${r2(s.x(v))}" y="${f.h - 10}" text-anchor="${anchor}">${v * 100}%</text>`;
      })
      .join('');
    const dots = xs
      .map((x, i) => `<circle class="mk entry" cx="${r2(s.x(x))}" cy="${r2(s.y(ys[i] as number))}" r="3"/>`)
      .join('');
    return `<figure class="mini"><figcaption>${t(title)}</figcaption>${svgOpen(f, title)}${yAxis(f, s, y0, y1, label)}${xt}${polyline(xs, ys, s, 'line main')}${dots}</svg></figure>`;
  };
  return `<div class="minis">${one(
    'CAGR vs spread share paid',
    (s) => s.cagr,
    (v) => `${r2(v * 100)}%`,
  )}${one(
    'Sharpe vs spread share paid',
    (s) => s.sharpe,
    (v) => r2(v),
  )}</div>`;
}

// ---------------------------------------------------------------------------------------------------
// tables and sections

interface Row {
  readonly label: string;
  readonly value: (s: BacktestSummary) => string;
  readonly help: string;
}

const SUMMARY_ROWS: readonly Row[] = [
  { label: 'Total return', value: (s) => pct(s.totalReturn), help: 'final / initial equity - 1' },
  { label: 'CAGR', value: (s) => pct(s.cagr), help: 'calendar days / 365.25' },
  { label: 'Annualised volatility', value: (s) => pct(s.annualVolatility), help: 'daily sd x sqrt(252)' },
  { label: 'Sharpe', value: (s) => num(s.sharpe), help: 'mean excess / sd x sqrt(252)' },
  { label: 'Sortino', value: (s) => num(s.sortino), help: 'downside deviation below risk-free' },
  { label: 'Max drawdown', value: (s) => pct(s.maxDrawdown?.depth), help: 'peak to trough' },
  {
    label: 'Max drawdown duration',
    value: (s) =>
      s.maxDrawdown === null
        ? NA
        : `${s.maxDrawdown.durationDays} trading days${s.maxDrawdown.recovered ? '' : ' (not recovered)'}`,
    help: 'peak to recovery',
  },
  { label: 'Calmar', value: (s) => num(s.calmar), help: 'CAGR / max drawdown' },
  { label: 'Trading days', value: (s) => String(s.tradingDays), help: 'days with an equity mark' },
  { label: 'Condor trades', value: (s) => String(s.trades), help: 'closed positions' },
  { label: 'Hedge trades', value: (s) => String(s.hedgeTrades), help: 'closed VIX-call trades' },
  { label: 'Win rate', value: (s) => pct(s.winRate, 1), help: 'pnl > 0 / trades' },
  { label: 'Profit factor', value: (s) => num(s.profitFactor), help: 'gross win / gross loss' },
  { label: 'Average win', value: (s) => usd(s.averageWin), help: 'USD per winning trade' },
  { label: 'Average loss', value: (s) => usd(s.averageLoss), help: 'USD per losing trade' },
  {
    label: 'Worst day',
    value: (s) => (s.worstDay === null ? NA : `${pct(s.worstDay.return)} on ${escapeHtml(s.worstDay.date)}`),
    help: 'daily return',
  },
  {
    label: 'Worst trade',
    value: (s) =>
      s.worstTrade === null
        ? NA
        : `${usd(s.worstTrade.pnl)} (${escapeHtml(s.worstTrade.id)}, ${escapeHtml(s.worstTrade.closedOn)})`,
    help: 'USD',
  },
  { label: 'CVaR 95%', value: (s) => pct(s.cvar95), help: 'mean of the worst 5% of days' },
  { label: 'CVaR 99%', value: (s) => pct(s.cvar99), help: 'mean of the worst 1% of days' },
  { label: 'Exposure', value: (s) => pct(s.exposure, 1), help: 'days with an open condor' },
  { label: 'Beta to SPX', value: (s) => num(s.beta, 3), help: 'OLS on daily excess returns' },
  { label: 'Alpha (annualised)', value: (s) => pct(s.alpha), help: 'OLS intercept x 252' },
  {
    label: 'Skewness of daily returns',
    value: (s) => num(s.skewness, 2),
    help: 'population, 0 if symmetric',
  },
  { label: 'Kurtosis of daily returns', value: (s) => num(s.kurtosis, 2), help: 'not excess: 3 if normal' },
  { label: 'Hedge P&L, total', value: (s) => usd(s.hedge.totalPnl), help: 'realised + unrealised' },
  {
    label: 'Hedge P&L a year',
    value: (s) => pct(s.hedge.annualisedPnlPctOfAverageEquity),
    help: '% of average equity',
  },
  {
    label: 'Max drawdown without hedge',
    value: (s) => pct(s.hedge.maxDrawdownWithoutHedge),
    help: 'equity - hedge P&L',
  },
  {
    label: 'Drawdown reduction by hedge',
    value: (s) => pct(s.hedge.drawdownReduction, 1),
    help: '1 - with/without',
  },
  {
    label: 'Roll chains recovered',
    value: (s) =>
      s.rollChains.shareRecovered === null
        ? NA
        : `${pct(s.rollChains.shareRecovered, 1)} of ${s.rollChains.rolled - s.rollChains.rolledOpen}`,
    help: 'closed rolled chains with pnl >= 0',
  },
  { label: 'Deflated Sharpe', value: (s) => num(s.deflatedSharpe, 3), help: 'probability, given trials' },
];

function summaryTable(summary: BacktestSummary, comparison?: ReportComparison): string {
  const head = comparison
    ? `<tr><th>Metric</th><th class="r">This run</th><th class="r">${escapeHtml(comparison.label)}</th><th>Definition</th></tr>`
    : '<tr><th>Metric</th><th class="r">Value</th><th>Definition</th></tr>';
  const rows = SUMMARY_ROWS.map(
    (r) =>
      `<tr><td>${escapeHtml(r.label)}</td><td class="r">${r.value(summary)}</td>${
        comparison ? `<td class="r">${r.value(comparison.summary)}</td>` : ''
      }<td class="muted def">${escapeHtml(r.help)}</td></tr>`,
  ).join('');
  return `<div class="tw"><table>${head}${rows}</table></div>`;
}

function groupTable(
  title: string,
  rows: ReadonlyArray<{ key: string; trades: number; winRate: number | null; pnl: number; extra?: string[] }>,
  extraHeads: readonly string[] = [],
): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.key)}</td><td class="r">${r.trades}</td><td class="r">${pct(r.winRate, 1)}</td><td class="r${signClass(r.pnl)}">${usd(r.pnl)}</td>${(r.extra ?? []).map((e) => `<td class="r">${e}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<div class="tw"><table><tr><th>${escapeHtml(title)}</th><th class="r">Trades</th><th class="r">Win rate</th><th class="r">P&amp;L</th>${extraHeads.map((h) => `<th class="r">${escapeHtml(h)}</th>`).join('')}</tr>${body}</table></div>`;
}

function yearTable(summary: BacktestSummary): string {
  const hedge = new Map(summary.hedge.byYear.map((h) => [h.year, h]));
  return groupTable(
    'Year',
    summary.byYear.map((y) => ({
      key: String(y.year),
      trades: y.trades,
      winRate: y.winRate,
      pnl: y.pnl,
      extra: [
        `<span class="${signClass(y.return).trim()}">${pct(y.return)}</span>`,
        usd(y.hedgePnl),
        pct(hedge.get(y.year)?.pnlPctOfAverageEquity),
      ],
    })),
    ['Equity return', 'Hedge P&L', 'Hedge P&L / avg equity'],
  );
}

function sensitivityTable(points: readonly CostSensitivityPoint[]): string {
  const rows = [...points]
    .sort((a, b) => a.spreadShare - b.spreadShare)
    .map(
      (p) =>
        `<tr><td>${fixed(p.spreadShare * 100, 0)}%${p.spreadShare === 0 ? ' (far side, better than mid)' : p.spreadShare === 0.5 ? ' (mid)' : p.spreadShare === 1 ? ' (natural)' : ''}</td><td class="r">${pct(p.summary.cagr)}</td><td class="r">${num(p.summary.sharpe)}</td><td class="r">${pct(p.summary.maxDrawdown?.depth)}</td><td class="r">${pct(p.summary.winRate, 1)}</td><td class="r">${p.summary.trades}</td></tr>`,
    )
    .join('');
  return `<div class="tw"><table><tr><th>Spread share paid</th><th class="r">CAGR</th><th class="r">Sharpe</th><th class="r">Max DD</th><th class="r">Win rate</th><th class="r">Trades</th></tr>${rows}</table></div>`;
}

function modelSensitivityTable(points: readonly ModelSensitivityPoint[]): string {
  const rows = points
    .map(
      (p) =>
        `<tr><td>${fixed(p.oneDayLevelScale, 2)} x${p.oneDayLevelScale === 1 ? ' (the model)' : ''}</td><td class="r">${usd(p.summary.finalEquity)}</td><td class="r">${pct(p.summary.cagr)}</td><td class="r">${pct(p.summary.maxDrawdown?.depth)}</td><td class="r">${pct(p.summary.winRate, 1)}</td><td class="r">${p.summary.trades}</td></tr>`,
    )
    .join('');
  const bounds = oneDayLevelBoundsText();
  return `<p class="muted">${escapeHtml(`${bounds[0]!.toUpperCase()}${bounds.slice(1)}: the result at those bounds, the same days and rules.`)}</p><div class="tw"><table><tr><th>One-day vol level</th><th class="r">Final equity</th><th class="r">CAGR</th><th class="r">Max DD</th><th class="r">Win rate</th><th class="r">Trades</th></tr>${rows}</table></div>`;
}

function tradeLog(trades: readonly CondorTrade[], maxRows: number): string {
  if (trades.length === 0) return '<p class="muted">No condor trades.</p>';
  const shown = trades.slice(0, maxRows);
  const rows = shown
    .map(
      (tr) =>
        `<tr><td class="mono">${escapeHtml(tr.id)}</td><td class="mono">${escapeHtml(tr.chainId)}</td><td>${escapeHtml(tr.tier)}</td><td>${escapeHtml(tr.openedOn)}</td><td>${escapeHtml(tr.closedOn)}</td><td>${escapeHtml(tr.expiry)}</td><td class="r mono">${escapeHtml(`${tr.strikes.putLong}/${tr.strikes.putShort} - ${tr.strikes.callShort}/${tr.strikes.callLong}`)}</td><td class="r">${tr.quantity}</td><td class="r">${num(tr.entryCredit)}</td><td class="r">${num(tr.exitDebit)}</td><td>${escapeHtml(tr.exit)}</td><td class="r">${num(tr.vixAtEntry)}</td><td class="r${signClass(tr.pnl)}">${usd(tr.pnl)}</td></tr>`,
    )
    .join('');
  const note =
    trades.length > shown.length
      ? `Showing the first ${shown.length} of ${trades.length} trades (${trades.length - shown.length} not shown; the JSON export has all of them).`
      : `All ${trades.length} trades.`;
  return `<p class="muted">${escapeHtml(note)}</p><div class="tw"><table class="log"><tr><th>Id</th><th>Chain</th><th>Tier</th><th>Opened</th><th>Closed</th><th>Expiry</th><th class="r">Strikes (P long/short - C short/long)</th><th class="r">Qty</th><th class="r">Credit (pts)</th><th class="r">Debit (pts)</th><th>Exit</th><th class="r">VIX at entry</th><th class="r">P&amp;L</th></tr>${rows}</table></div>`;
}

/** The price-source statement, worded so that a modelled run cannot be mistaken for real quotes. */
export function priceSourceStatement(source: BacktestResult['pricesSource']): string {
  switch (source.kind) {
    case 'real':
      return `Option prices: real quotes (${source.detail}).`;
    case 'mixed':
      return `Option prices: mixed - some real quotes, some modelled (${source.detail}). Modelled prices are not market prices. ${modelErrorStatement()}`;
    default:
      return `Option prices: modelled, not real quotes (${source.detail}). Results depend on the pricing model and its assumptions. ${modelErrorStatement()}`;
  }
}

export const REPORT_CSS = `
:root{--fg:#1d2330;--muted:#667085;--bg:#f6f7f9;--card:#fff;--line:#e4e7ec;--accent:#2457c5;--pos:#1a7f4b;--neg:#c0392b;--comp:#d97706}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 12px}
.sub{color:var(--muted);margin:0 0 16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.source{border-left:6px solid var(--comp);background:#fff8eb;font-weight:600;font-size:15px}
.source.real{border-left-color:var(--pos);background:#eefaf3}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 16px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.kpi b{display:block;font-size:20px}.kpi span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.tw{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em;background:#fafbfc}
td.r,th.r{text-align:right}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table.log td{font-size:12.5px}
.pos{color:var(--pos)}.neg{color:var(--neg)}.muted{color:var(--muted)}.na{color:var(--muted);font-style:italic}
svg.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:var(--line);stroke-width:1}.chart .tick{fill:var(--muted);font-size:11px}
.chart .tick.bin{font-size:12px}.chart .axis-title{fill:var(--fg);font-size:13px}
td.def,td.wrap{white-space:normal;overflow-wrap:anywhere;min-width:9em}
.chart .line{fill:none;stroke-width:1.6;stroke-linejoin:round}
.chart .main{stroke:var(--accent)}.chart .comp{stroke:var(--comp);stroke-dasharray:5 3}
.chart .nohedge{stroke:var(--neg);stroke-dasharray:4 3;stroke-width:1.2}
.chart .area.dd{fill:rgba(192,57,43,.22);stroke:var(--neg);stroke-width:1}
.chart .vix{stroke:#222;stroke-width:1.2}
.chart .band.b1{fill:#e8f5ee}.chart .band.b2{fill:#fdf6e3}.chart .band.b3{fill:#fde8d7}.chart .band.b4{fill:#fbdada}
.chart .mk.entry{fill:var(--accent)}.chart .mk.roll{fill:var(--comp)}.chart .mk.hedge{fill:#7c3aed}
.chart .bar.pos{fill:rgba(26,127,75,.75)}.chart .bar.neg{fill:rgba(192,57,43,.75)}.chart .zero{stroke:#333;stroke-dasharray:3 3}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;color:var(--muted);margin:0 0 6px}
.legend i.sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-2px}
.sw.main{background:var(--accent)}.sw.comp{background:var(--comp)}.sw.dd{background:rgba(192,57,43,.5)}.sw.nohedge{background:var(--neg)}
.sw.b1{background:#e8f5ee;border:1px solid #cfe9da}.sw.b2{background:#fdf6e3;border:1px solid #f3e3b5}.sw.b3{background:#fde8d7;border:1px solid #f5cfb0}.sw.b4{background:#fbdada;border:1px solid #f0b4b4}
.sw.vix{background:#222}.sw.entry{background:var(--accent);border-radius:50%!important}.sw.roll{background:var(--comp)}.sw.hedge{background:#7c3aed}
.minis{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
figure.mini{margin:0}figure.mini figcaption{font-size:12px;color:var(--muted);margin-bottom:4px}
ul{margin:0;padding-left:20px}li{margin:2px 0}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media (max-width:640px){h1{font-size:20px}.grid2{grid-template-columns:1fr}th,td{padding:5px 6px}}
@media print{body{background:#fff}.card{box-shadow:none;break-inside:avoid}}
`;

function section(id: string, title: string, body: string): string {
  return `<section class="card" id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

/**
 * One self-contained HTML document for a backtest: no scripts, no external references (fonts, CSS,
 * images) and no clock (the same inputs give the same bytes).
 */
export function renderBacktestHtml(
  result: BacktestResult,
  summary: BacktestSummary,
  options: HtmlReportOptions,
): string {
  const maxRows = options.maxTradeRows ?? 200;
  const source = priceSourceStatement(result.pricesSource);
  const kpi = (label: string, value: string) =>
    `<div class="kpi"><span>${escapeHtml(label)}</span><b>${value}</b></div>`;
  const kpis = [
    kpi('CAGR', pct(summary.cagr)),
    kpi('Sharpe', num(summary.sharpe)),
    kpi('Max drawdown', pct(summary.maxDrawdown?.depth)),
    kpi('Win rate', pct(summary.winRate, 1)),
    kpi('Trades', String(summary.trades)),
    kpi('Hedge P&L / yr', pct(summary.hedge.annualisedPnlPctOfAverageEquity)),
    ...(summary.ruinedOn !== null ? [kpi('Ruined on', escapeHtml(summary.ruinedOn))] : []),
  ].join('');

  const parts: string[] = [];
  parts.push(
    `<header><h1>${escapeHtml(options.title)}</h1><p class="sub">${escapeHtml(
      `${summary.from} to ${summary.to} - ${summary.tradingDays} trading days - initial equity `,
    )}${usd(summary.initialEquity)}, final ${usd(summary.finalEquity)}</p></header>`,
  );
  parts.push(
    `<section class="card source${result.pricesSource.kind === 'real' ? ' real' : ''}" id="price-source">${escapeHtml(source)}</section>`,
  );
  parts.push(`<div class="kpis">${kpis}</div>`);
  parts.push(
    section(
      'equity',
      'Equity and drawdown',
      `${equityChart(result, options.comparison)}${drawdownChart(result)}`,
    ),
  );
  parts.push(section('vix-regime', 'VIX regime timeline', vixTimeline(result)));
  // Full width each (issue 18): side by side, the histogram shrank to unreadable labels and the
  // Summary's definitions were cut off.
  parts.push(section('pnl-distribution', 'Trade P&L distribution', histogram(result.trades)));
  parts.push(section('summary', 'Summary', summaryTable(summary, options.comparison)));
  parts.push(section('per-year', 'Per year', yearTable(summary)));
  parts.push(
    `<div class="grid2">${section(
      'by-vix',
      'By VIX at entry',
      groupTable(
        'VIX band',
        summary.byVixBand.map((b) => ({ key: b.band, trades: b.trades, winRate: b.winRate, pnl: b.pnl })),
      ),
    )}${section(
      'by-tier',
      'By tier',
      groupTable(
        'Tier',
        summary.byTier.map((b) => ({ key: b.tier, trades: b.trades, winRate: b.winRate, pnl: b.pnl })),
      ),
    )}</div>`,
  );
  const rc = summary.rollChains;
  parts.push(
    section(
      'roll-chains',
      'Roll chains (Temporal Theta Martingale)',
      `<div class="tw"><table><tr><th>Chains</th><th class="r">Rolled</th><th class="r">Rolled, still open</th><th class="r">Recovered</th><th class="r">Share recovered</th><th class="r">Mean roll credits (pts)</th><th class="r">Mean rolls</th><th class="r">P&amp;L of rolled chains</th></tr><tr><td>${rc.chains}</td><td class="r">${rc.rolled}</td><td class="r">${rc.rolledOpen}</td><td class="r">${rc.recovered}</td><td class="r">${pct(rc.shareRecovered, 1)}</td><td class="r">${num(rc.meanRollCredits)}</td><td class="r">${num(rc.meanRolls)}</td><td class="r${signClass(rc.rolledPnl)}">${usd(rc.rolledPnl)}</td></tr></table></div>`,
    ),
  );
  if (options.costSensitivity && options.costSensitivity.length > 0) {
    parts.push(
      section(
        'cost-sensitivity',
        'Cost sensitivity (share of the bid-ask spread paid)',
        `${sensitivityTable(options.costSensitivity)}${sensitivityChart(options.costSensitivity)}`,
      ),
    );
  } else {
    parts.push(
      section(
        'cost-sensitivity',
        'Cost sensitivity',
        '<p class="muted">Not run: pass costSensitivity (runs at 0/25/50/75/100% of the spread) to see it.</p>',
      ),
    );
  }
  if (options.modelSensitivity && options.modelSensitivity.length > 0) {
    parts.push(
      section(
        'model-sensitivity',
        "Model sensitivity (the one-day vol level within the model's measured error)",
        modelSensitivityTable(options.modelSensitivity),
      ),
    );
  }
  parts.push(
    section(
      'intraday-exits',
      'Intraday exits (sessions on bars / approximation / neither)',
      intradaySection(result),
    ),
  );
  const notes = summary.notes.length
    ? `<h2>Notes on undefined metrics</h2><ul>${summary.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
    : '';
  const rejected =
    result.rejected.length > 0
      ? `<p class="muted">${escapeHtml(`${result.rejected.length} intents were rejected (no fill, no buying power, ...); see the JSON export.`)}</p>`
      : '';
  parts.push(
    section(
      'assumptions',
      'Assumptions',
      `<ul><li>${escapeHtml(source)}</li><li>${escapeHtml(`Risk-free rate: ${summary.riskFree}.`)}</li>${result.assumptions
        .map((a) => `<li>${escapeHtml(a)}</li>`)
        .join('')}</ul>${rejected}${notes}`,
    ),
  );
  parts.push(section('trades', 'Trade log', tradeLog(result.trades, maxRows)));
  parts.push(
    `<footer>${escapeHtml(`VixShield backtest report - ${result.from} to ${result.to}. Past simulated performance is not a forecast.`)}</footer>`,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(options.title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}

// ---------------------------------------------------------------------------------------------------
// JSON

export interface BacktestJson {
  readonly format: 'vixshield-backtest/1';
  readonly from: string;
  readonly to: string;
  readonly pricesSource: Json;
  readonly summary: {
    readonly totalReturn: number | null;
    readonly cagr: number | null;
    readonly maxDrawdown: number | null;
    readonly sharpe: number | null;
    readonly winRate: number | null;
    readonly trades: number;
    readonly detail: Json;
  };
  /** The same run with fills at 0/25/50/75/100% of the spread (when run): how much the result owes to the fill. */
  readonly costSensitivity?: ReadonlyArray<CostSensitivityJson>;
  /** The same run at the bounds of the model's measured one-day level error (when run): how much it owes to the model. */
  readonly modelSensitivity?: ReadonlyArray<ModelSensitivityJson>;
  readonly equity: ReadonlyArray<{ readonly date: string; readonly equity: number }>;
  readonly trades: Json;
  readonly hedgeTrades: Json;
  readonly chains: Json;
  readonly rejected: Json;
  readonly assumptions: readonly string[];
  /**
   * Issue 16: the intraday counts of every run (sessions on bars / the approximation / neither, marks,
   * exits; `rulesSet` false when no `exits.intraday` rule is set). Absent only for a result stored by
   * a version before the counts were kept.
   */
  readonly intraday?: Json;
}

/**
 * The machine-readable report. Top-level and headline keys in a fixed order; nested objects in
 * sorted-key canonical form, so `JSON.stringify` of two runs on the same inputs is byte-identical.
 */
/** One cost-sensitivity run in the JSON report. */
export interface CostSensitivityJson {
  readonly spreadShare: number;
  readonly finalEquity: number;
  readonly cagr: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  readonly winRate: number | null;
  readonly trades: number;
  readonly ruinedOn: string | null;
}

/** One model-sensitivity run in the JSON report. */
export interface ModelSensitivityJson {
  readonly oneDayLevelScale: number;
  readonly finalEquity: number;
  readonly cagr: number | null;
  readonly maxDrawdown: number | null;
  readonly winRate: number | null;
  readonly trades: number;
  readonly ruinedOn: string | null;
}

const finiteOr = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;

export function costSensitivityJson(points: readonly CostSensitivityPoint[]): CostSensitivityJson[] {
  return points.map(({ spreadShare, summary: s }) => ({
    spreadShare,
    finalEquity: s.finalEquity,
    cagr: finiteOr(s.cagr),
    sharpe: finiteOr(s.sharpe),
    maxDrawdown: finiteOr(s.maxDrawdown?.depth),
    winRate: finiteOr(s.winRate),
    trades: s.trades,
    ruinedOn: s.ruinedOn,
  }));
}

export function modelSensitivityJson(points: readonly ModelSensitivityPoint[]): ModelSensitivityJson[] {
  return points.map(({ oneDayLevelScale, summary: s }) => ({
    oneDayLevelScale,
    finalEquity: s.finalEquity,
    cagr: finiteOr(s.cagr),
    maxDrawdown: finiteOr(s.maxDrawdown?.depth),
    winRate: finiteOr(s.winRate),
    trades: s.trades,
    ruinedOn: s.ruinedOn,
  }));
}

export function renderBacktestJson(
  result: BacktestResult,
  summary: BacktestSummary,
  costSensitivity?: readonly CostSensitivityPoint[],
  modelSensitivity?: readonly ModelSensitivityPoint[],
): BacktestJson {
  const fin = finiteOr;
  return {
    format: 'vixshield-backtest/1',
    from: result.from,
    to: result.to,
    pricesSource: { kind: result.pricesSource.kind, detail: result.pricesSource.detail },
    summary: {
      totalReturn: fin(summary.totalReturn),
      cagr: fin(summary.cagr),
      maxDrawdown: fin(summary.maxDrawdown?.depth),
      sharpe: fin(summary.sharpe),
      winRate: fin(summary.winRate),
      trades: summary.trades,
      detail: canonicalJson(summary),
    },
    ...(costSensitivity && costSensitivity.length > 0
      ? { costSensitivity: costSensitivityJson(costSensitivity) }
      : {}),
    ...(modelSensitivity && modelSensitivity.length > 0
      ? { modelSensitivity: modelSensitivityJson(modelSensitivity) }
      : {}),
    equity: result.equity.map((p) => ({ date: p.date, equity: p.equity })),
    trades: canonicalJson(result.trades),
    hedgeTrades: canonicalJson(result.hedgeTrades),
    chains: canonicalJson(result.chains),
    rejected: canonicalJson(result.rejected),
    assumptions: [...result.assumptions],
    ...(result.intraday ? { intraday: canonicalJson(result.intraday) } : {}),
  };
}

/**
 * The intraday exit section (issue 16): sessions on bars, on the approximation and on neither, and
 * the exits by rule. With no rule set it says so and counts the sessions whose bars fed the TWAP.
 */
export function intradaySection(result: BacktestResult): string {
  const x = result.intraday;
  if (x && !x.rulesSet) {
    return `<p>${escapeHtml(`No intraday exit rule set (exits.intraday): nothing was marked or closed intraday; condors are held to expiry or closed at the daily session. Bars: ${x.barsDescription}.`)}</p><div class="tw"><table><tr><th></th><th class="r">Intraday bars</th><th class="r">Daily-OHLC approximation</th><th class="r">Neither</th></tr><tr><td>Sessions</td><td class="r">${x.sessions.bars}</td><td class="r">${x.sessions.ohlcApproximation}</td><td class="r">${x.sessions.neither}</td></tr></table></div><ul>${x.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  }
  if (!x) {
    return `<p>${escapeHtml(`No intraday exit rule set (exits.intraday): all ${result.equity.length} sessions used neither intraday bars nor the daily-OHLC approximation; condors are held to expiry or closed at the daily session.`)}</p>`;
  }
  const row = (label: string, c: { bars: number; ohlcApproximation: number; neither: number }) =>
    `<tr><td>${escapeHtml(label)}</td><td class="r">${c.bars}</td><td class="r">${c.ohlcApproximation}</td><td class="r">${c.neither}</td></tr>`;
  const rules = Object.entries(x.exitsByRule)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const list = x.exits
    .slice(0, 50)
    .map((e) => `<li>${escapeHtml(`${e.positionId}: ${e.reason}`)}</li>`)
    .join('');
  return `<p>${escapeHtml(`Rules: ${JSON.stringify({ stopCreditMultiple: x.rules.stopCreditMultiple, profitTakePct: x.rules.profitTakePct, timeExitCt: x.rules.timeExitCt, shortStrikeTouch: x.rules.shortStrikeTouch, daysWithoutBars: x.rules.daysWithoutBars })}. Bars: ${x.barsDescription}.`)}</p><div class="tw"><table><tr><th></th><th class="r">Intraday bars</th><th class="r">Daily-OHLC approximation</th><th class="r">Neither</th></tr>${row('Sessions', x.sessions)}${row('Open condor-days checked', x.condorDays)}${row('Exits', { bars: x.exitsBySource.bars, ohlcApproximation: x.exitsBySource['ohlc-approximation'], neither: 0 })}</table></div><p>${escapeHtml(`Exits by rule: ${rules}. Bar closes evaluated ${x.barsEvaluated}, unpriceable ${x.barsUnpriceable}, vendor gaps crossed ${x.missingBars}. Marks from real recorded quotes ${x.marks.real}, from the model ${x.marks.modelled}.`)}</p><ul>${x.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>${list ? `<details><summary>${escapeHtml(`First ${Math.min(50, x.exits.length)} of ${x.exits.length} intraday exits`)}</summary><ul>${list}</ul></details>` : ''}`;
}
