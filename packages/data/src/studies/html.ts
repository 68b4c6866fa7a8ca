import { canonicalJson, escapeHtml, REPORT_CSS } from '../report/html-report';
import type { ClaimsReport } from './claims';
import { type Interval, pctText, type StudyHeader } from './common';

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
  const W = 760;
  const rowH = 34;
  const left = 200;
  const right = 30;
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
