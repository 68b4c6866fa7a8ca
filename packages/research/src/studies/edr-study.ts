import { windowSessions } from '@vixshield/app';
import { EDR_MODES, type EdrMode, type IsoDate, resolveConfig } from '@vixshield/core';
import { edrDays } from './claims';
import {
  formatHeader,
  INDEX_ONLY_PRICES_STATEMENT,
  type Interval,
  intervalText,
  meanInterval,
  pctText,
  type StudyHeader,
  type StudyWindowOptions,
  splitDate,
  studyHeader,
  studyWindow,
} from './common';

/**
 * Study `edr` (M§6 question 6): how should EDR be computed, and do shorts beyond it stay outside the
 * next day's move on > 80% of days? Every EDR mode x a few strike multiples, on index data only.
 */

export const EDR_STUDY_MULTIPLES = [1, 1.2, 1.5, 1.8] as const;

export interface EdrCell {
  readonly mode: EdrMode;
  readonly multiple: number;
  readonly closeInside: Interval | null;
  readonly rangeInside: Interval | null;
  readonly halves: { readonly inSample: number | null; readonly outOfSample: number | null };
  /** Mean EDR in % of SPX. */
  readonly meanEdrPct: number | null;
}

export interface EdrStudyReport {
  readonly header: StudyHeader;
  readonly cells: readonly EdrCell[];
  /** The cell with the smallest multiple whose whole close-containment interval is above 80%, per mode. */
  readonly smallestMultipleAbove80: Record<string, number | null>;
  readonly notes: readonly string[];
}

export function runEdrStudy(opts: StudyWindowOptions): EdrStudyReport {
  const w = studyWindow(opts);
  const base = resolveConfig('vixshield');
  const sessions = windowSessions(w.md, base, w.from, w.to);
  const snaps = w.md.snapshots;
  const idx = new Map<string, number>(snaps.map((s, i) => [s.date, i]));
  const nextOf = (d: IsoDate) => {
    const i = idx.get(d);
    const n = i === undefined ? undefined : snaps[i + 1];
    return n && n.date <= w.to ? n : undefined;
  };
  const split = splitDate(w.from, w.to);
  const cells: EdrCell[] = [];
  const spxOf = new Map(sessions.map((s) => [s.date, s.market.spx]));
  for (const mode of EDR_MODES) {
    for (const multiple of EDR_STUDY_MULTIPLES) {
      const days = edrDays(sessions, nextOf, { ...base.edr, mode }, multiple);
      const ind = days.map((d) => (d.closeInside ? 1 : 0));
      const ranged = days.filter((d) => d.rangeInside !== null).map((d) => (d.rangeInside ? 1 : 0));
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      cells.push({
        mode,
        multiple,
        closeInside: meanInterval(ind, { iterations: w.iterations, seed: w.seed, blockLength: 5 }),
        rangeInside: meanInterval(ranged, { iterations: w.iterations, seed: w.seed + 1, blockLength: 5 }),
        halves: {
          inSample: mean(days.filter((d) => d.date < split).map((d) => (d.closeInside ? 1 : 0))),
          outOfSample: mean(days.filter((d) => d.date >= split).map((d) => (d.closeInside ? 1 : 0))),
        },
        meanEdrPct: mean(days.map((d) => (100 * d.edrPts) / (spxOf.get(d.date) as number))),
      });
    }
  }
  const smallest: Record<string, number | null> = {};
  for (const mode of EDR_MODES) {
    const ok = cells.filter((c) => c.mode === mode && c.closeInside && c.closeInside.lower > 0.8);
    smallest[mode] = ok.length ? Math.min(...ok.map((c) => c.multiple)) : null;
  }
  return {
    header: studyHeader(
      w,
      'edr',
      "How should EDR be computed, and do shorts beyond it stay outside the next day's move on > 80% of days?",
      { modes: EDR_MODES, multiples: EDR_STUDY_MULTIPLES, bias: base.edr.bias, edrAt: 'session close' },
      EDR_MODES.length * EDR_STUDY_MULTIPLES.length,
      INDEX_ONLY_PRICES_STATEMENT,
    ),
    cells,
    smallestMultipleAbove80: smallest,
    notes: [
      'No option prices are used: SPX and VIX-family closes (and high/low where the bar is real) only.',
      'closeInside: |close(t+1) - close(t)| < multiple x EDR(t); rangeInside: the next day high and low both inside close(t) +- multiple x EDR(t).',
      'glossary-literal is the glossary formula taken word for word (flagged unverified in the core); its EDR is several times the others, so its 100% containment says nothing about a usable strike distance.',
      `All ${EDR_MODES.length * EDR_STUDY_MULTIPLES.length} cells are shown; choosing the best one after looking is a selection among them (the halves show whether the choice is stable).`,
    ],
  };
}

export function formatEdrStudy(r: EdrStudyReport): string {
  const lines = [formatHeader(r.header), ''];
  lines.push(
    'mode             x     mean EDR   close inside [95%]                      range inside          halves in/out',
  );
  for (const c of r.cells) {
    lines.push(
      `${c.mode.padEnd(16)} ${c.multiple.toFixed(1).padEnd(5)} ${(c.meanEdrPct === null ? '-' : `${c.meanEdrPct.toFixed(3)}%`).padEnd(10)} ${intervalText(c.closeInside).padEnd(40)} ${pctText(c.rangeInside?.estimate).padEnd(21)} ${pctText(c.halves.inSample)} / ${pctText(c.halves.outOfSample)}`,
    );
  }
  lines.push('');
  for (const [m, x] of Object.entries(r.smallestMultipleAbove80))
    lines.push(
      `smallest multiple with the whole interval above 80% (close), ${m}: ${x === null ? 'none of those tried' : `${x} x EDR`}`,
    );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
