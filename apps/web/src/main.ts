import { createChart, LineSeries, type Time } from 'lightweight-charts';
import { type CondorStrikes, payoffSvg } from './payoff';

/** The dashboard: one page per hash route; it talks to the API only. */

interface Tier {
  tier: string;
  tradable: boolean;
  reason: string;
  strikes: CondorStrikes | null;
  creditMid: number | null;
  creditFill: number | null;
  maxLossUsd: number | null;
  probabilityOfProfit: number | null;
  contracts: number;
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
  reasons: string[];
  pricesSource: string;
}
interface MarketRow {
  date: string;
  spx: number;
  vix: number | null;
}

const app = document.getElementById('app')!;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.error}${body.hint ? ` (${body.hint})` : ''}`);
  return body as T;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const f2 = (x: number | null) => (x === null ? '–' : x.toFixed(2));

function section(id: string, title: string, inner = ''): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${inner}</section>`;
}

function tiersTable(s: Signal): string {
  const rows = s.tiers
    .map(
      (t) => `<tr data-tier="${t.tier}">
      <td>${t.tier}${t.tier === s.chosenTier ? ' ★' : ''}</td>
      <td data-testid="strikes-${t.tier}">${t.strikes ? `${t.strikes.putLong}/${t.strikes.putShort} ${t.strikes.callShort}/${t.strikes.callLong}` : '–'}</td>
      <td>${f2(t.creditMid)}</td><td>${f2(t.creditFill)}</td>
      <td>${t.maxLossUsd === null ? '–' : `$${t.maxLossUsd.toFixed(0)}`}</td>
      <td>${t.probabilityOfProfit === null ? '–' : `${(100 * t.probabilityOfProfit).toFixed(0)}%`}</td>
      <td>${t.contracts}</td><td>${t.tradable ? 'yes' : `<span class="muted" title="${esc(t.reason)}">no</span>`}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>tier</th><th>strikes (P long/short C short/long)</th><th>credit mid</th><th>fill</th><th>max loss</th><th>PoP</th><th>qty</th><th>tradable</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function lineChart(el: HTMLElement, data: Array<{ time: string; value: number }>, color: string) {
  const chart = createChart(el, { autoSize: true, layout: { attributionLogo: false } });
  const series = chart.addSeries(LineSeries, { color, lineWidth: 2 });
  series.setData(data.map((d) => ({ time: d.time as Time, value: d.value })));
  chart.timeScale().fitContent();
  return series;
}

async function signalPage(date: string | undefined) {
  const q = date ? `?date=${encodeURIComponent(date)}` : '';
  const { signal: s } = await api<{ signal: Signal }>(`/api/signal${q}`);
  const market = await api<MarketRow[]>(`/api/market?to=${s.date}`);
  const gateOpen = !s.gate.hold && !s.gate.noTrades;
  const chosen = s.tiers.find((t) => t.tier === s.chosenTier) ?? s.tiers.find((t) => t.strikes);
  app.innerHTML = [
    section(
      'signal',
      `Signal ${s.date} (${s.preset})`,
      `<p><span data-testid="gate" class="${gateOpen ? 'gate-open' : 'gate-closed'}">${s.gate.hold ? 'HOLD' : s.gate.noTrades ? 'NO TRADES' : 'GATE OPEN'}</span>
       — ${esc(s.gate.reason)}</p>
       <p>SPX <b data-testid="spx">${s.spx.toFixed(2)}</b> · VIX ${s.gate.vix.toFixed(2)} · EDR ${s.edr.edrPct.toFixed(3)}% = ${s.edr.edrPts.toFixed(1)} pts
       (<span data-testid="edr-band">${s.edr.lower.toFixed(1)} – ${s.edr.upper.toFixed(1)}</span>) · expiry ${s.expiry ?? '–'} · Premium Gauge ${f2(s.premiumGauge)}</p>
       <p><b data-testid="decision">${s.skip ? `NO TRADE: ${esc(s.skipReason ?? '')}` : `TRADE ${s.chosenTier}`}</b></p>
       ${tiersTable(s)}
       <p class="muted">prices: ${esc(s.pricesSource)}</p>
       <details><summary>reasons</summary><ul>${s.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></details>`,
    ),
    section('spx', 'SPX with the EDR band', '<div class="chart" id="spx-chart"></div>'),
    section(
      'payoff',
      `Payoff at expiry${chosen ? ` (${chosen.tier}, credit ${f2(chosen.creditMid)})` : ''}`,
      chosen?.strikes && chosen.creditMid !== null
        ? payoffSvg(chosen.strikes, chosen.creditMid, s.spx)
        : '<p class="muted">no condor today</p>',
    ),
    section('vix', 'VIX', '<div class="chart" id="vix-chart"></div>'),
    section(
      'backtest',
      'Latest backtest equity',
      '<div class="chart" id="bt-chart"></div><p id="bt-note" class="muted"></p>',
    ),
  ].join('');

  const spx = lineChart(
    document.getElementById('spx-chart')!,
    market.map((m) => ({ time: m.date, value: m.spx })),
    '#1570ef',
  );
  spx.createPriceLine({ price: s.edr.upper, color: '#f79009', lineStyle: 2, title: 'EDR upper' });
  spx.createPriceLine({ price: s.edr.lower, color: '#f79009', lineStyle: 2, title: 'EDR lower' });
  if (chosen?.strikes) {
    spx.createPriceLine({
      price: chosen.strikes.callShort,
      color: '#b42318',
      lineStyle: 1,
      title: 'call short',
    });
    spx.createPriceLine({
      price: chosen.strikes.putShort,
      color: '#b42318',
      lineStyle: 1,
      title: 'put short',
    });
  }
  lineChart(
    document.getElementById('vix-chart')!,
    market.filter((m) => m.vix !== null).map((m) => ({ time: m.date, value: m.vix! })),
    '#7a5af8',
  );
  await backtestPanel();
}

async function backtestPanel() {
  const note = document.getElementById('bt-note')!;
  const runs = await api<Array<{ id: string; status: string }>>('/api/backtests');
  const done = runs.find((r) => r.status === 'done');
  if (!done) {
    note.textContent =
      'No backtest run on this server yet: POST /api/backtests (with the bearer token) starts one, e.g. curl -H "Authorization: Bearer $T" -d \'{"from":"2023-01-03"}\' -H content-type:application/json localhost:8787/api/backtests';
    return;
  }
  const job = await api<{
    report: { from: string; to: string; equity: Array<{ date: string; equity: number }> };
  }>(`/api/backtests/${done.id}`);
  lineChart(
    document.getElementById('bt-chart')!,
    job.report.equity.map((p) => ({ time: p.date, value: p.equity })),
    '#12b76a',
  );
  note.textContent = `run ${done.id}: ${job.report.from} .. ${job.report.to}`;
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
  const date = new URLSearchParams(query ?? '').get('date') ?? undefined;
  try {
    if (path === '/glossary') await glossaryPage();
    else if (path === '/paper') await paperPage(new URLSearchParams(query ?? '').get('preset') ?? undefined);
    else await signalPage(date);
    document.body.dataset.ready = 'true';
  } catch (err) {
    app.innerHTML = `<section><h2>Error</h2><p class="error" data-testid="error">${esc((err as Error).message)}</p></section>`;
    document.body.dataset.ready = 'error';
  }
}

document.getElementById('date-form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  const d = (document.getElementById('date-input') as HTMLInputElement).value;
  location.hash = d ? `#/?date=${d}` : '#/';
});
window.addEventListener('hashchange', () => {
  document.body.dataset.ready = 'false';
  void route();
});
void route();
