import type { StoredSignalSummary } from '@vixshield/server/api-types';
import { createChart, type IChartApi, type ISeriesApi, LineSeries, type Time } from 'lightweight-charts';
import { type CondorPricing, type CondorStrikes, condorRisk, payoffSvg } from './payoff';

/** The dashboard: one page per hash route; it talks to the API only. */

interface Tier {
  tier: string;
  tradable: boolean;
  reason: string;
  strikes: CondorStrikes | null;
  creditMid: number | null;
  creditFill: number | null;
  maxLossUsd: number | null;
  /** After the expected fill and fees, USD per condor (what the sizing used). */
  maxLossFillUsd?: number | null;
  probabilityOfProfit: number | null;
  pricing?: CondorPricing | null;
  contracts: number;
}
interface HedgeAction {
  action: string;
  layer: number;
  expiry: string;
  strike: number;
  quantity: number;
  price: number;
  reason: string;
}
interface Signal {
  date: string;
  preset: string;
  asOf: string;
  skip: boolean;
  skipReason: string | null;
  gate: { vix: number; allowedTiers: string[]; hold: boolean; noTrades: boolean; reason: string };
  edr: { edrPct: number; edrPts: number; upper: number; lower: number };
  spx: number;
  expiry: string | null;
  premiumGauge: number | null;
  chosenTier: string | null;
  tiers: Tier[];
  hedge?: HedgeAction[];
  hedgeReasons?: string[];
  reasons: string[];
  pricesSource: string;
  /** With modelled prices: the model's measured error in the condor's zone. */
  modelError?: string;
  equity?: number;
}
interface MarketRow {
  date: string;
  spx: number;
  vix: number | null;
}
interface BacktestJob {
  id: string;
  status: string;
  error?: string | null;
  summary?: {
    from: string;
    to: string;
    initialEquity: number;
    finalEquity: number;
    cagr: number | null;
    maxDrawdown: { depth: number } | null;
    trades: number;
    winRate: number | null;
    ruinedOn: string | null;
  };
  report?: { from: string; to: string; equity: Array<{ date: string; equity: number }> };
}

/** The presets the API knows (the server refuses any other with 400). */
const PRESETS = ['vixshield', 'seed', 'conservative', 'balanced', 'aggressive'];

const app = document.getElementById('app')!;

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.error}${body.hint ? ` (${body.hint})` : ''}`);
  return body as T;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const f2 = (x: number | null) => (x === null ? '–' : x.toFixed(2));
const usd0 = (x: number) => `${x < 0 ? '−' : ''}$${Math.abs(x).toFixed(0)}`;

function section(id: string, title: string, inner = ''): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${inner}</section>`;
}

/** The gate badge: NO TRADES (VIX above the no-trades level) outranks HOLD, which outranks an open gate. */
function gateBadge(g: Signal['gate']): { text: string; open: boolean } {
  if (g.noTrades) return { text: 'NO TRADES', open: false };
  if (g.hold) return { text: 'HOLD', open: false };
  return { text: 'GATE OPEN', open: true };
}

function tiersTable(s: Signal): string {
  const rows = s.tiers
    .map((t) => {
      // Risk at the expected fill (what the order is likely to get), not at the mid.
      const risk = t.strikes && t.creditFill !== null ? condorRisk(t.strikes, t.creditFill) : null;
      const maxLoss = t.maxLossFillUsd ?? (risk ? risk.maxLossPts * 100 : null);
      return `<tr data-tier="${t.tier}">
      <td>${t.tier}${t.tier === s.chosenTier ? ' ★' : ''}</td>
      <td data-testid="strikes-${t.tier}">${t.strikes ? `${t.strikes.putLong}/${t.strikes.putShort} ${t.strikes.callShort}/${t.strikes.callLong}` : '–'}</td>
      <td>${f2(t.creditMid)}</td><td data-testid="fill-${t.tier}">${f2(t.creditFill)}</td>
      <td data-testid="maxloss-${t.tier}">${maxLoss === null ? '–' : `$${maxLoss.toFixed(0)}`}</td>
      <td data-testid="be-${t.tier}">${risk ? `${risk.lower.toFixed(1)} / ${risk.upper.toFixed(1)}` : '–'}</td>
      <td>${t.probabilityOfProfit === null ? '–' : `${(100 * t.probabilityOfProfit).toFixed(0)}%`}</td>
      <td data-testid="qty-${t.tier}">${t.contracts}</td><td>${t.tradable ? 'yes' : `<span class="muted" title="${esc(t.reason)}">no</span>`}</td></tr>`;
    })
    .join('');
  const none = `<tr><td colspan="9" class="muted">no condor priced this session${s.skipReason ? `: ${esc(s.skipReason)}` : ''}</td></tr>`;
  return `<div class="table-wrap" id="tier-wrap"><table id="tier-table"><thead><tr><th>tier</th><th title="put long/put short, call short/call long">strikes</th><th>credit mid</th><th>fill</th><th title="per condor, after the expected fill and fees">max loss</th><th title="at the expected fill">breakevens</th><th>PoP</th><th title="contracts for the equity">qty</th><th>tradable</th></tr></thead><tbody>${rows || none}</tbody></table></div>`;
}

function lineChart(el: HTMLElement, data: Array<{ time: string; value: number }>, color: string) {
  const chart = createChart(el, { autoSize: true, layout: { attributionLogo: false } });
  const series = chart.addSeries(LineSeries, { color, lineWidth: 2 });
  series.setData(data.map((d) => ({ time: d.time as Time, value: d.value })));
  chart.timeScale().fitContent();
  return { chart, series };
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

interface ChartLabel {
  price: number;
  text: string;
  color: string;
  id: string;
}

/**
 * Labels of the SPX chart's levels (spot, EDR band, short strikes) as HTML beside the price axis, pushed
 * apart vertically so none overlaps another or the axis (the chart's own line titles collide when the
 * levels are close). Each label keeps its price in its text; the dashed line marks the exact level.
 */
async function placeLabels(
  chart: IChartApi,
  series: ISeriesApi<'Line'>,
  overlay: HTMLElement,
  labels: ChartLabel[],
) {
  let ys: Array<number | null> = [];
  for (let i = 0; i < 30; i++) {
    await nextFrame();
    ys = labels.map((l) => series.priceToCoordinate(l.price));
    if (ys.every((y) => y !== null)) break;
  }
  const axisWidth = chart.priceScale('right').width();
  const paneHeight = chart.paneSize().height;
  overlay.innerHTML = labels
    .map(
      (l) =>
        `<span class="chart-label" data-testid="label-${l.id}" style="border-color:${l.color};right:${axisWidth + 6}px">${esc(l.text)}</span>`,
    )
    .join('');
  const els = [...overlay.querySelectorAll<HTMLElement>('.chart-label')];
  const h = Math.max(...els.map((e) => e.offsetHeight), 14);
  const gap = 2;
  const order = labels.map((_, i) => i).sort((a, b) => (ys[a] ?? 0) - (ys[b] ?? 0));
  const tops: number[] = new Array(labels.length).fill(0);
  let prev = Number.NEGATIVE_INFINITY;
  for (const i of order) {
    const want = (ys[i] ?? 0) - h / 2;
    tops[i] = Math.max(want, prev + h + gap, 0);
    prev = tops[i]!;
  }
  // Pushed past the bottom: shift the stack back up from the bottom edge.
  let limit = paneHeight - h;
  for (const i of [...order].reverse()) {
    if (tops[i]! > limit) tops[i] = limit;
    limit = tops[i]! - h - gap;
  }
  els.forEach((e, i) => {
    e.style.top = `${tops[i]!.toFixed(1)}px`;
  });
  overlay.dataset.axisWidth = String(axisWidth);
  overlay.dataset.placed = 'true';
}

function hedgePanel(s: Signal): string {
  const actions = s.hedge ?? [];
  const rows = actions
    .map(
      (h) =>
        `<tr data-testid="hedge-row"><td>${esc(h.action)}</td><td>${h.layer}</td><td class="nowrap">${esc(h.expiry)}</td><td>${h.strike}</td><td>${h.quantity}</td><td>${h.price.toFixed(2)}</td><td class="reason">${esc(h.reason)}</td></tr>`,
    )
    .join('');
  const table = actions.length
    ? `<div class="table-wrap"><table><thead><tr><th>action</th><th>layer</th><th>VIX expiry</th><th>strike</th><th>qty</th><th>price</th><th>why</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p class="muted" data-testid="hedge-none">no hedge action this session</p>';
  const reasons = (s.hedgeReasons ?? []).map((r) => `<li>${esc(r)}</li>`).join('');
  return `${table}<ul data-testid="hedge-reasons">${reasons}</ul>`;
}

function historyTable(rows: StoredSignalSummary[], equity: number | undefined): string {
  if (rows.length === 0) return '<p class="muted">no stored signal yet</p>';
  const body = rows
    .map((r) => {
      const q = `date=${r.date}&preset=${encodeURIComponent(r.preset)}${r.equity !== null ? `&equity=${r.equity}` : equity ? `&equity=${equity}` : ''}`;
      return `<tr data-testid="history-row" data-date="${r.date}"><td><a href="#/?${q}">${r.date}</a></td><td>${esc(r.preset)}</td><td>${r.revision}</td><td>${r.vix === null ? '–' : r.vix.toFixed(2)}</td><td>${esc(r.gate ?? '–')}</td><td>${r.skip ? `<span class="muted" title="${esc(r.skipReason ?? '')}">skip</span>` : esc(r.chosenTier ?? '–')}</td><td>${r.contracts ?? '–'}</td><td>${f2(r.creditFill)}</td><td>${r.equity === null ? '–' : usd0(r.equity)}</td><td>${r.hedgeActions}</td></tr>`;
    })
    .join('');
  return `<div class="table-wrap"><table><thead><tr><th>date</th><th>preset</th><th>rev</th><th>VIX</th><th>gate</th><th>tier</th><th>qty</th><th>fill</th><th>equity</th><th>hedge</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function backtestForm(preset: string, equity: number | undefined, to: string): string {
  const options = PRESETS.map((p) => `<option${p === preset ? ' selected' : ''}>${p}</option>`).join('');
  return `<form id="bt-form" class="inline-form">
    <label>From <input id="bt-from" type="date" required value="${to.slice(0, 4)}-01-02"></label>
    <label>To <input id="bt-to" type="date" required value="${to}"></label>
    <label>Preset <select id="bt-preset">${options}</select></label>
    <label>Equity $ <input id="bt-equity" type="number" min="1000" step="1000" value="${equity ?? 100000}"></label>
    <label>Token <input id="bt-token" type="password" autocomplete="off" placeholder="bearer token"></label>
    <button type="submit">Run backtest</button></form>
    <p id="bt-status" class="muted" data-testid="bt-status"></p>
    <table id="bt-summary" hidden></table>
    <div class="chart" id="bt-chart"></div><p id="bt-note" class="muted"></p>`;
}

async function signalPage(q: URLSearchParams) {
  const params = new URLSearchParams();
  for (const k of ['date', 'preset', 'equity']) {
    const v = q.get(k);
    if (v) params.set(k, v);
  }
  const query = params.toString();
  const { signal: s } = await api<{ signal: Signal }>(`/api/signal${query ? `?${query}` : ''}`);
  const equity = s.equity ?? (q.get('equity') ? Number(q.get('equity')) : undefined);
  const [market, history] = await Promise.all([
    api<MarketRow[]>(`/api/market?to=${s.date}`),
    api<StoredSignalSummary[]>(`/api/signals?preset=${encodeURIComponent(s.preset)}&limit=20`),
  ]);
  fillSignalForm(s.date, s.preset, equity);
  const badge = gateBadge(s.gate);
  const chosen = s.tiers.find((t) => t.tier === s.chosenTier) ?? s.tiers.find((t) => t.strikes);
  const credit = chosen?.creditFill ?? null;
  app.innerHTML = [
    section(
      'signal',
      `Signal ${s.date} (${s.preset}${equity ? `, equity ${usd0(equity)}` : ''})`,
      `<p><span data-testid="gate" class="badge ${badge.open ? 'gate-open' : 'gate-closed'}">${badge.text}</span>
       — <span data-testid="gate-reason">${esc(s.gate.reason)}</span></p>
       <p>SPX <b data-testid="spx">${s.spx.toFixed(2)}</b> · VIX ${s.gate.vix.toFixed(2)} · EDR ${s.edr.edrPct.toFixed(3)}% = ${s.edr.edrPts.toFixed(1)} pts
       (<span data-testid="edr-band">${s.edr.lower.toFixed(1)} – ${s.edr.upper.toFixed(1)}</span>) · expiry ${s.expiry ?? '–'} · Premium Gauge ${f2(s.premiumGauge)}</p>
       <p><b data-testid="decision">${s.skip ? `NO TRADE: ${esc(s.skipReason ?? '')}` : `TRADE ${s.chosenTier}`}</b></p>
       ${tiersTable(s)}
       <p class="muted">prices: ${esc(s.pricesSource)}; max loss and breakevens at the expected fill; qty for the equity</p>
       ${s.modelError ? `<p class="muted" data-testid="model-error">${esc(s.modelError)}</p>` : ''}
       <details><summary>reasons</summary><ul>${s.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></details>`,
    ),
    section(
      'spx',
      'SPX with the EDR band',
      '<div class="chart-wrap"><div class="chart" id="spx-chart"></div><div class="chart-labels" id="spx-labels" data-testid="spx-labels"></div></div>',
    ),
    section(
      'payoff',
      `Payoff at expiry and today${chosen && credit !== null ? ` (${chosen.tier}, fill ${f2(credit)})` : ''}`,
      chosen?.strikes && credit !== null
        ? `${payoffSvg(chosen.strikes, credit, s.spx, chosen.pricing ?? null)}<p class="muted">solid: at expiry; dashed: T+0, the legs at their implied vols today${chosen.pricing ? '' : ' (not in this signal)'}</p>`
        : '<p class="muted">no condor today</p>',
    ),
    section('hedge', 'Hedge (ALVH)', hedgePanel(s)),
    section('vix', 'VIX', '<div class="chart" id="vix-chart"></div>'),
    section('history', `Signal history (${s.preset}, journal)`, historyTable(history, equity)),
    section('backtest', 'Backtest', backtestForm(s.preset, equity, s.date)),
  ].join('');

  const labels: ChartLabel[] = [
    { id: 'spot', price: s.spx, text: `SPX ${s.spx.toFixed(0)}`, color: '#1570ef' },
    { id: 'edr-upper', price: s.edr.upper, text: `EDR ↑ ${s.edr.upper.toFixed(0)}`, color: '#f79009' },
    { id: 'edr-lower', price: s.edr.lower, text: `EDR ↓ ${s.edr.lower.toFixed(0)}`, color: '#f79009' },
  ];
  if (chosen?.strikes) {
    labels.push(
      {
        id: 'call-short',
        price: chosen.strikes.callShort,
        text: `call ${chosen.strikes.callShort}`,
        color: '#b42318',
      },
      {
        id: 'put-short',
        price: chosen.strikes.putShort,
        text: `put ${chosen.strikes.putShort}`,
        color: '#b42318',
      },
    );
  }
  const { chart, series: spx } = lineChart(
    document.getElementById('spx-chart')!,
    market.map((m) => ({ time: m.date, value: m.spx })),
    '#1570ef',
  );
  const levels = labels.map((l) => l.price);
  spx.applyOptions({
    lastValueVisible: false,
    priceLineVisible: false,
    // Keep every level on screen, else its label would point off the chart.
    autoscaleInfoProvider: (
      original: () => { priceRange: { minValue: number; maxValue: number } } | null,
    ) => {
      const r = original();
      if (!r) return r;
      return {
        priceRange: {
          minValue: Math.min(r.priceRange.minValue, ...levels),
          maxValue: Math.max(r.priceRange.maxValue, ...levels),
        },
      };
    },
  });
  // The last three months (the levels are a few EDRs apart, lost on a year's scale), with empty bars on
  // the right where the level labels sit, so they do not hide the latest closes.
  const bars = market.length;
  chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, bars - 65), to: bars - 1 + 16 });
  for (const l of labels.slice(1)) {
    spx.createPriceLine({ price: l.price, color: l.color, lineStyle: 2, axisLabelVisible: false, title: '' });
  }
  lineChart(
    document.getElementById('vix-chart')!,
    market.filter((m) => m.vix !== null).map((m) => ({ time: m.date, value: m.vix! })),
    '#7a5af8',
  );
  await placeLabels(chart, spx, document.getElementById('spx-labels')!, labels);
  document.getElementById('bt-form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    void runBacktest();
  });
  await backtestPanel();
}

function showBacktest(job: BacktestJob) {
  const note = document.getElementById('bt-note')!;
  const table = document.getElementById('bt-summary') as HTMLTableElement;
  const m = job.summary;
  if (m) {
    const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(2)}%`);
    table.innerHTML = `<tbody><tr><th>period</th><td>${m.from} – ${m.to}</td></tr>
      <tr><th>equity</th><td>${usd0(m.initialEquity)} → <b data-testid="bt-final">${usd0(m.finalEquity)}</b></td></tr>
      <tr><th>CAGR</th><td>${pct(m.cagr)}</td></tr><tr><th>max drawdown</th><td>${pct(m.maxDrawdown?.depth ?? null)}</td></tr>
      <tr><th>trades</th><td data-testid="bt-trades">${m.trades}</td></tr><tr><th>win rate</th><td>${pct(m.winRate)}</td></tr>
      ${m.ruinedOn ? `<tr><th>ruined on</th><td class="error">${m.ruinedOn}</td></tr>` : ''}</tbody>`;
    table.hidden = false;
  }
  const el = document.getElementById('bt-chart')!;
  el.innerHTML = '';
  if (job.report) {
    lineChart(
      el,
      job.report.equity.map((p) => ({ time: p.date, value: p.equity })),
      '#12b76a',
    );
    note.textContent = `run ${job.id}: ${job.report.from} .. ${job.report.to}`;
  }
}

async function backtestPanel() {
  const note = document.getElementById('bt-note')!;
  const runs = await api<Array<{ id: string; status: string }>>('/api/backtests');
  const done = runs.find((r) => r.status === 'done');
  if (!done) {
    // The page's own origin: the API is wherever this page was served from.
    note.textContent = `No backtest run on this server yet: the form above starts one, or POST /api/backtests with the bearer token, e.g. curl -H "Authorization: Bearer $T" -H content-type:application/json -d '{"from":"2023-01-03"}' ${location.origin}/api/backtests`;
    return;
  }
  showBacktest(await api<BacktestJob>(`/api/backtests/${done.id}`));
}

/** Starts a run from the form (POST /api/backtests), polls it until it ends, then shows its result. */
async function runBacktest() {
  const status = document.getElementById('bt-status')!;
  const val = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
  const token = val('bt-token');
  const body = {
    from: val('bt-from'),
    to: val('bt-to'),
    preset: val('bt-preset'),
    equity: Number(val('bt-equity')),
  };
  status.dataset.state = 'running';
  status.classList.remove('error');
  try {
    const started = await api<{ id: string }>('/api/backtests', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    status.textContent = `run ${started.id} started…`;
    for (;;) {
      const job = await api<BacktestJob>(`/api/backtests/${started.id}`);
      if (job.status === 'failed') throw new Error(`run ${job.id} failed: ${job.error ?? 'no reason given'}`);
      if (job.status === 'done') {
        status.textContent = `run ${job.id} done`;
        status.dataset.state = 'done';
        showBacktest(job);
        return;
      }
      status.textContent = `run ${started.id} ${job.status}…`;
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (err) {
    status.textContent = (err as Error).message;
    status.classList.add('error');
    status.dataset.state = 'error';
  }
}

function fillSignalForm(date: string, preset: string, equity: number | undefined) {
  (document.getElementById('date-input') as HTMLInputElement).value = date;
  (document.getElementById('preset-input') as HTMLSelectElement).value = preset;
  if (equity !== undefined)
    (document.getElementById('equity-input') as HTMLInputElement).value = String(equity);
}

interface PaperTrade {
  id: string;
  tier: string;
  openedOn: string;
  closedOn: string;
  expiry: string;
  strikes: CondorStrikes;
  quantity: number;
  entryCredit: number;
  exitDebit: number;
  exit: string;
  pnl: number;
}
interface PaperRecordView {
  preset: string;
  startedOn: string | null;
  through: string | null;
  pricesSource: { kind: string; detail: string };
  fills: Array<{
    fill: string;
    initialEquity: number;
    finalEquity: number;
    pnlUsd: number;
    maxDrawdown: { depth: number; peakDate: string; troughDate: string } | null;
    trades: PaperTrade[];
  }>;
  days: Array<{
    date: string;
    prices: string;
    snapshot: { provider: string; quoteTimeEt: string; delaySeconds: number } | null;
    chosenTier: string | null;
    skipReason: string | null;
    entries: Array<{ creditMid: number; modelCreditMid: number | null; modelErrorPts: number | null }>;
    equity: Record<string, number>;
    drawdown: Record<string, number>;
  }>;
  modelError: { entries: number; meanPts: number | null; meanAbsPts: number | null };
  notes: string[];
}

/** The forward paper record: P&L and drawdown per fill model, the trades, model vs real credit per day. */
async function paperPage(preset: string | undefined) {
  const r = await api<PaperRecordView>(`/api/paper${preset ? `?preset=${encodeURIComponent(preset)}` : ''}`);
  const main = r.fills[r.fills.length - 1];
  const usd = (x: number) => `${x < 0 ? '−' : ''}$${Math.abs(x).toFixed(0)}`;
  const summary = r.fills
    .map(
      (f) =>
        `<tr data-fill="${esc(f.fill)}"><td>${esc(f.fill)}</td><td>${usd(f.initialEquity)}</td><td>${usd(f.finalEquity)}</td><td data-testid="pnl-${esc(f.fill)}">${usd(f.pnlUsd)}</td><td>${f.maxDrawdown ? `${(100 * f.maxDrawdown.depth).toFixed(2)}% (${f.maxDrawdown.peakDate} – ${f.maxDrawdown.troughDate})` : '0.00%'}</td><td>${f.trades.length}</td></tr>`,
    )
    .join('');
  const trades = (main?.trades ?? [])
    .map(
      (t) =>
        `<tr data-trade="${esc(t.id)}"><td>${t.openedOn}</td><td>${t.closedOn}</td><td>${t.expiry}</td><td>${esc(t.tier)}</td><td>${t.strikes.putLong}/${t.strikes.putShort} ${t.strikes.callShort}/${t.strikes.callLong}</td><td>${t.quantity}</td><td>${t.entryCredit.toFixed(2)}</td><td>${t.exitDebit.toFixed(2)}</td><td data-testid="trade-pnl">${usd(t.pnl)}</td><td>${esc(t.exit)}</td></tr>`,
    )
    .join('');
  const days = r.days
    .map((d) => {
      const e = d.entries[0];
      const eq = main ? d.equity[main.fill] : undefined;
      const dd = main ? d.drawdown[main.fill] : undefined;
      return `<tr data-day="${d.date}"><td>${d.date}</td><td>${esc(d.prices)}</td><td>${d.snapshot ? `${esc(d.snapshot.provider)} ${esc(d.snapshot.quoteTimeEt)}` : '–'}</td><td>${esc(d.chosenTier ?? '–')}</td><td data-testid="real-${d.date}">${e ? e.creditMid.toFixed(2) : '–'}</td><td data-testid="model-${d.date}">${f2(e?.modelCreditMid ?? null)}</td><td>${f2(e?.modelErrorPts ?? null)}</td><td>${eq === undefined ? '–' : usd(eq)}</td><td>${dd === undefined ? '–' : `${(100 * dd).toFixed(2)}%`}</td></tr>`;
    })
    .join('');
  app.innerHTML = [
    section(
      'paper',
      `Paper book ${r.preset}${r.startedOn ? `: ${r.startedOn} – ${r.through}` : ''}`,
      `<p class="muted" data-testid="paper-prices">prices: ${esc(r.pricesSource.kind)}: ${esc(r.pricesSource.detail)}</p>
       <table><thead><tr><th>fill</th><th>start</th><th>equity</th><th>P&amp;L</th><th>max drawdown</th><th>closed trades</th></tr></thead><tbody>${summary}</tbody></table>
       <div class="chart" id="paper-chart"></div>
       <p>Model error over ${r.modelError.entries} real entries: mean ${f2(r.modelError.meanPts)} pts, mean absolute ${f2(r.modelError.meanAbsPts)} pts (model − real mid credit, same strikes).</p>
       ${r.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('')}`,
    ),
    section(
      'paper-trades',
      `Trades${main ? ` (fill ${main.fill})` : ''}`,
      `<table><thead><tr><th>opened</th><th>closed</th><th>expiry</th><th>tier</th><th>strikes</th><th>qty</th><th>credit</th><th>debit</th><th>P&amp;L</th><th>exit</th></tr></thead><tbody>${trades}</tbody></table>`,
    ),
    section(
      'paper-days',
      'Days: real credit beside the model credit for the same strikes',
      `<table><thead><tr><th>date</th><th>prices</th><th>snapshot</th><th>tier</th><th>credit mid</th><th>model mid</th><th>model − real</th><th>equity</th><th>drawdown</th></tr></thead><tbody>${days}</tbody></table>`,
    ),
  ].join('');
  if (main && r.days.length > 0) {
    lineChart(
      document.getElementById('paper-chart')!,
      r.days.map((d) => ({ time: d.date, value: d.equity[main.fill]! })),
      '#12b76a',
    );
  }
}

async function glossaryPage() {
  const terms = await api<Array<{ key: string }>>('/api/explain');
  const entries = await Promise.all(
    terms.map((t) =>
      api<{
        key: string;
        name: string;
        definition: string;
        rule: string;
        modules: string[];
        params: Array<{ path: string; default: unknown; source: string | null }>;
      }>(`/api/explain/${t.key}`),
    ),
  );
  app.innerHTML = section(
    'glossary',
    'Glossary',
    `<dl class="glossary">${entries
      .map(
        (
          e,
        ) => `<dt id="term-${e.key}">${esc(e.name)}</dt><dd>${esc(e.definition)}<br><i>Rule:</i> ${esc(e.rule)}
        <br><i>Modules:</i> ${e.modules.map((m) => `<code>${esc(m)}</code>`).join(', ')}
        ${e.params.length ? `<br><i>Parameters:</i> ${e.params.map((p) => `<code title="${esc(p.source ?? '')}">${esc(p.path)} = ${esc(JSON.stringify(p.default))}</code>`).join(' · ')}` : ''}</dd>`,
      )
      .join('')}</dl>`,
  );
}

async function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  try {
    if (path === '/glossary') await glossaryPage();
    else if (path === '/paper') await paperPage(new URLSearchParams(query ?? '').get('preset') ?? undefined);
    else await signalPage(new URLSearchParams(query ?? ''));
    document.body.dataset.ready = 'true';
  } catch (err) {
    app.innerHTML = `<section><h2>Error</h2><p class="error" data-testid="error">${esc((err as Error).message)}</p></section>`;
    document.body.dataset.ready = 'error';
  }
}

document.getElementById('date-form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new URLSearchParams();
  const d = (document.getElementById('date-input') as HTMLInputElement).value;
  const p = (document.getElementById('preset-input') as HTMLSelectElement).value;
  const eq = (document.getElementById('equity-input') as HTMLInputElement).value;
  if (d) q.set('date', d);
  if (p) q.set('preset', p);
  if (eq) q.set('equity', eq);
  location.hash = `#/?${q.toString()}`;
});
window.addEventListener('hashchange', () => {
  document.body.dataset.ready = 'false';
  void route();
});
void route();
