import { writeFileSync } from 'node:fs';
import {
  type BacktestResult,
  type CondorTrade,
  computeBacktestSummary,
  type EquityPoint,
  type HedgeTrade,
  type IsoDate,
  mulberry32,
  type RollChain,
  TIERS,
} from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { weekdays } from '../../../core/test/metrics/fixtures';
import {
  escapeHtml,
  priceSourceStatement,
  renderBacktestHtml,
  renderBacktestJson,
} from '../../src/report/html-report';

/** A deterministic two-year synthetic run with entries, rolls, hedge layers and a hostile trade id. */
function syntheticRun(kind: BacktestResult['pricesSource']['kind'] = 'modelled', seed = 3): BacktestResult {
  const rand = mulberry32(seed);
  const dates = weekdays('2023-01-03', 500);
  let equity = 100000;
  let spx = 4000;
  let vix = 18;
  let hedgePnl = 0;
  const points: EquityPoint[] = [];
  const trades: CondorTrade[] = [];
  const hedgeTrades: HedgeTrade[] = [];
  const chains: RollChain[] = [];
  dates.forEach((date, i) => {
    vix = Math.max(10, Math.min(45, vix + (rand() - 0.5) * 2 + (17 - vix) * 0.03));
    spx *= 1 + (rand() - 0.5) * 0.02;
    const hedgeDay = (rand() - 0.6) * 30;
    hedgePnl += hedgeDay;
    equity += (rand() - 0.45) * 600 + hedgeDay;
    points.push({
      date,
      equity,
      cash: equity,
      condorValue: i % 5 === 4 ? 0 : -120,
      hedgeValue: 500,
      marginUsed: i % 5 === 4 ? 0 : 4000,
      spx,
      vix,
      hedgePnlToDate: hedgePnl,
      interestToDate: 0,
    });
    if (i % 5 === 0 && i + 2 < dates.length) {
      const rolled = rand() < 0.15;
      const id = i === 0 ? 'ic-<script>alert(1)</script>&"x"' : `ic-${i}`;
      const pnl = rolled ? -300 + rand() * 100 : (rand() - 0.25) * 400;
      const base = {
        chainId: `ch-${i}`,
        tier: TIERS[i % 3] as CondorTrade['tier'],
        openedOn: date,
        expiry: dates[i + 1] as IsoDate,
        strikes: { putLong: 3900, putShort: 3950, callShort: 4050, callLong: 4100 },
        quantity: 2,
        entryCredit: 1.2,
        exitDebit: 0.3,
        fees: 4,
        vixAtEntry: vix,
      };
      trades.push({
        ...base,
        id,
        closedOn: dates[i + 1] as IsoDate,
        exit: rolled ? 'rolled' : 'expired',
        pnl,
        rollsInChainBefore: 0,
      });
      if (rolled) {
        trades.push({
          ...base,
          id: `${id}-r1`,
          openedOn: dates[i + 1] as IsoDate,
          closedOn: dates[i + 2] as IsoDate,
          exit: 'expired',
          pnl: 350,
          rollsInChainBefore: 1,
        });
      }
      chains.push({
        chainId: `ch-${i}`,
        openedOn: date,
        closedOn: dates[i + (rolled ? 2 : 1)] as IsoDate,
        rolls: rolled ? 1 : 0,
        rollCredits: rolled ? 2.5 : 0,
        pnl: rolled ? pnl + 350 : pnl,
        recovered: rolled && pnl + 350 >= 0,
      });
    }
    if (i % 60 === 0 && i + 40 < dates.length) {
      hedgeTrades.push({
        id: `vx-${i}`,
        layer: 1 + ((i / 60) % 3),
        openedOn: date,
        closedOn: dates[i + 40] as IsoDate,
        expiry: dates[i + 40] as IsoDate,
        strike: 20,
        quantity: 4,
        entryPrice: 1.5,
        exitPrice: 0.8,
        exit: 'rolled',
        pnl: -280,
        fees: 5,
      });
    }
  });
  return {
    from: dates[0] as IsoDate,
    to: dates[dates.length - 1] as IsoDate,
    initialEquity: 100000,
    equity: points,
    trades,
    hedgeTrades,
    chains,
    rejected: [{ date: dates[3] as IsoDate, kind: 'open-condor', reason: 'crossed <quote>' }],
    pricesSource: {
      kind,
      detail: kind === 'real' ? 'Cboe DataShop EOD 15:45' : 'BSM with the calibrated SVI surface',
    },
    assumptions: ['Fills at mid + 25% of the spread', 'Fees $0.65 a contract <exchange & clearing>'],
  };
}

const run = syntheticRun();
const summary = computeBacktestSummary(run);
const sensitivity = [0, 0.25, 0.5, 0.75, 1].map((share, k) => ({
  spreadShare: share,
  summary: { ...summary, cagr: (summary.cagr ?? 0) - 0.02 * k, sharpe: (summary.sharpe ?? 0) - 0.3 * k },
}));
const comparisonRun = syntheticRun('modelled', 9);
const html = renderBacktestHtml(run, summary, {
  title: 'SPX condors <with> ALVH & "friends"',
  costSensitivity: sensitivity,
  comparison: {
    label: 'No hedge <baseline>',
    result: comparisonRun,
    summary: computeBacktestSummary(comparisonRun),
  },
  maxTradeRows: 50,
});

// Preview: REPORT_PREVIEW=/tmp/report.html npx vitest run packages/app/test/report
if (process.env.REPORT_PREVIEW) writeFileSync(process.env.REPORT_PREVIEW, html);

/** Stack check: every non-void tag closes, in order (self-closing SVG tags allowed). Returns problems. */
function tagProblems(doc: string): string[] {
  const voids = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = doc.replace(/<!DOCTYPE[^>]*>/i, '').replace(/<style>[\s\S]*?<\/style>/, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m as unknown as [string, string, string, string];
    const tag = name.toLowerCase();
    if (close) {
      const top = stack.pop();
      if (top !== tag) problems.push(`</${tag}> closes <${top}> at ${m.index}`);
    } else if (!selfClose && !voids.has(tag)) {
      stack.push(tag);
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' ')}`);
  return problems;
}

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

describe('renderBacktestHtml', () => {
  it('is one self-contained document with every section', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of [
      'price-source',
      'equity',
      'vix-regime',
      'pnl-distribution',
      'summary',
      'per-year',
      'by-vix',
      'by-tier',
      'roll-chains',
      'cost-sensitivity',
      'assumptions',
      'trades',
    ]) {
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html).toContain('Option prices: modelled, not real quotes (BSM with the calibrated SVI surface)');
    expect(html).toContain('CAGR vs spread share paid');
    expect(html).toContain('Sharpe vs spread share paid');
    expect(html).toContain('class="mk roll"');
    expect(html).toContain('class="mk entry"');
    expect(html).toContain('class="mk hedge"');
    expect(html).toContain('class="band b4"');
    expect(html).toMatch(/Showing the first 50 of \d+ trades/);
  });

  it('references nothing outside itself and runs no script', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('is well-formed enough: balanced svg, section, table and tr tags', () => {
    for (const tag of ['svg', 'section', 'table', 'tr', 'figure', 'ul', 'main', 'title', 'div']) {
      expect(count(html, new RegExp(`<${tag}[\\s>]`, 'g')), tag).toBe(
        count(html, new RegExp(`</${tag}>`, 'g')),
      );
    }
    expect(count(html, /<svg[\s>]/g)).toBeGreaterThanOrEqual(6);
    expect(tagProblems(html)).toEqual([]);
    expect(tagProblems('<div><span></div>')).not.toEqual([]);
    // no element carries the same attribute twice (e.g. two class attributes)
    for (const m of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
      const names = [...m[0].matchAll(/\s([a-zA-Z-]+)=/g)].map((a) => a[1]);
      expect(new Set(names).size, m[0].slice(0, 80)).toBe(names.length);
    }
  });

  it('escapes text from data (trade ids, labels, assumptions, title)', () => {
    expect(html).toContain('ic-&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x&quot;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('SPX condors &lt;with&gt; ALVH &amp; &quot;friends&quot;');
    expect(html).toContain('No hedge &lt;baseline&gt;');
    expect(html).toContain('Fees $0.65 a contract &lt;exchange &amp; clearing&gt;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('states the price source for real and mixed runs, and is deterministic', () => {
    const real = syntheticRun('real');
    const realHtml = renderBacktestHtml(real, computeBacktestSummary(real), { title: 'real' });
    expect(realHtml).toContain('Option prices: real quotes (Cboe DataShop EOD 15:45).');
    expect(realHtml).toContain('class="card source real"');
    expect(realHtml).toContain('Not run: pass costSensitivity');
    expect(priceSourceStatement({ kind: 'mixed', detail: 'd' })).toMatch(/^Option prices: mixed/);
    const again = renderBacktestHtml(run, summary, {
      title: 'SPX condors <with> ALVH & "friends"',
      costSensitivity: sensitivity,
      comparison: {
        label: 'No hedge <baseline>',
        result: comparisonRun,
        summary: computeBacktestSummary(comparisonRun),
      },
      maxTradeRows: 50,
    });
    expect(again).toBe(html);
  });

  it('the trade P&L histogram: round USD bins with zero an edge, every trade counted once, labelled in USD', () => {
    const section = html.slice(html.indexOf('id="pnl-distribution"'), html.indexOf('id="summary"'));
    const bins = [...section.matchAll(/<title>(-?)\$([\d,]+) to (-?)\$([\d,]+): (\d+) trades<\/title>/g)].map(
      (m) => ({
        a: Number(`${m[1]}${m[2]!.replaceAll(',', '')}`),
        b: Number(`${m[3]}${m[4]!.replaceAll(',', '')}`),
        n: Number(m[5]),
      }),
    );
    expect(bins.length).toBeGreaterThan(1);
    expect(bins.reduce((x, y) => x + y.n, 0)).toBe(run.trades.length);
    const width = bins[0]!.b - bins[0]!.a;
    // A 1-2-2.5-5 x 10^k width, contiguous bins starting at a multiple of it.
    expect([1, 2, 2.5, 5].some((m) => Math.abs(width / 10 ** Math.floor(Math.log10(width)) - m) < 1e-9)).toBe(
      true,
    );
    bins.forEach((bin, i) => {
      expect(bin.b - bin.a).toBeCloseTo(width, 9);
      if (i > 0) expect(bin.a).toBeCloseTo(bins[i - 1]!.b, 9);
    });
    expect(Math.abs(bins[0]!.a / width - Math.round(bins[0]!.a / width))).toBeLessThan(1e-9);
    // Each trade falls in the bin the counts say (recount by hand).
    for (const bin of bins)
      expect(bin.n).toBe(
        run.trades.filter((t) => t.pnl >= bin.a && (t.pnl < bin.b || bin === bins[bins.length - 1])).length,
      );
    const pnls = run.trades.map((t) => t.pnl);
    if (Math.min(...pnls) < 0 && Math.max(...pnls) > 0) expect(bins.some((bin) => bin.a === 0)).toBe(true);
    expect(section).toMatch(/>P&amp;L per trade, USD \(\d+ bins of \$[\d,]+\)</);
    expect(section).toMatch(/class="tick bin"[^>]*>-?\$[\d,]+</);
  });

  it('the Summary definitions are cells that wrap (td.def), never clipped by nowrap', () => {
    expect(count(html, /<td class="muted def">/g)).toBeGreaterThan(20);
    expect(html).toMatch(/td\.def,td\.wrap\{white-space:normal/);
  });

  it('renders an empty run without crashing', () => {
    const empty: BacktestResult = {
      ...run,
      equity: [],
      trades: [],
      hedgeTrades: [],
      chains: [],
      rejected: [],
    };
    const out = renderBacktestHtml(empty, computeBacktestSummary(empty), { title: 'empty' });
    expect(out).toContain('No equity points.');
    expect(out).toContain('No trades: no P&amp;L distribution.');
    expect(out).toContain('No condor trades.');
    expect(out).not.toMatch(/NaN|Infinity/);
    expect(count(out, /<svg[\s>]/g)).toBe(count(out, /<\/svg>/g));
    expect(tagProblems(out)).toEqual([]);
  });
});

describe('renderBacktestJson', () => {
  it('has the headline summary, every equity day, trades and the price source', () => {
    const json = renderBacktestJson(run, summary);
    expect(Object.keys(json.summary).slice(0, 6)).toEqual([
      'totalReturn',
      'cagr',
      'maxDrawdown',
      'sharpe',
      'winRate',
      'trades',
    ]);
    expect(json.summary.maxDrawdown).toBe(summary.maxDrawdown?.depth);
    expect(json.equity).toHaveLength(run.equity.length);
    expect(json.equity[0]).toEqual({ date: run.equity[0]?.date, equity: run.equity[0]?.equity });
    expect(Array.isArray(json.trades) && json.trades.length).toBe(run.trades.length);
    expect(json.pricesSource).toEqual({ kind: 'modelled', detail: 'BSM with the calibrated SVI surface' });
  });

  it('carries the cost-sensitivity runs when they were run (issue 18: npm start announced them, the JSON lacked them)', () => {
    expect(renderBacktestJson(run, summary)).not.toHaveProperty('costSensitivity');
    const json = renderBacktestJson(run, summary, sensitivity);
    expect(json.costSensitivity?.map((c) => c.spreadShare)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(json.costSensitivity?.[3]).toEqual({
      spreadShare: 0.75,
      finalEquity: summary.finalEquity,
      cagr: (summary.cagr ?? 0) - 0.06,
      sharpe: (summary.sharpe ?? 0) - 0.9,
      maxDrawdown: summary.maxDrawdown?.depth ?? null,
      winRate: summary.winRate,
      trades: summary.trades,
      ruinedOn: null,
    });
    // Right after the headline summary, before the long arrays.
    expect(Object.keys(json).indexOf('costSensitivity')).toBe(Object.keys(json).indexOf('summary') + 1);
  });

  it('is byte-identical across runs, including from independently rebuilt inputs', () => {
    const a = JSON.stringify(renderBacktestJson(run, summary));
    const b = JSON.stringify(renderBacktestJson(run, summary));
    const rebuilt = syntheticRun();
    const c = JSON.stringify(renderBacktestJson(rebuilt, computeBacktestSummary(rebuilt)));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a).not.toMatch(/NaN|Infinity/);
  });

  it('canonical key order does not depend on construction order', () => {
    const reordered: BacktestResult = {
      ...run,
      trades: run.trades.map((t) => {
        const entries = Object.entries(t).reverse();
        return Object.fromEntries(entries) as unknown as CondorTrade;
      }),
    };
    expect(JSON.stringify(renderBacktestJson(reordered, summary))).toBe(
      JSON.stringify(renderBacktestJson(run, summary)),
    );
  });
});
