import { embeddedPorts } from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import { describe, expect, it } from 'vitest';
import {
  type IsoDate,
  ORATS_LIKE_FILL,
  PRESET_NAMES,
  resolveConfig,
  runBacktest,
  type StepResult,
} from '../../core/src/index';
import { marketData, sessionsUpTo, signalStepWithState } from '../src/index';

/** Every decision of a session: entries, exits, rolls and hedge orders, and the state carried on. */
function decisions(r: StepResult): string {
  return JSON.stringify({
    intents: r.intents,
    gate: r.state.gate,
    triggeredLayers: r.state.triggeredLayers,
  });
}

describe('signal path = backtest over a full year, every preset (issue 15 case 9)', () => {
  const md = marketData();
  const from = '2018-01-02' as IsoDate; // a year with a VIX spike: seed triggers fire (Feb), the gate holds
  const to = '2018-12-31' as IsoDate;

  for (const preset of PRESET_NAMES) {
    it(`parity case 9: ${preset}: every 2018 decision of the signal path (engine state kept in the journal) equals the backtest's`, () => {
      const cfg = resolveConfig(preset);
      const { sessions } = sessionsUpTo(md, to, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
      const ports = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
      const journal = openJournal(':memory:');
      const mismatches: string[] = [];
      let days = 0;
      let hedgeOrders = 0;
      let stateful = 0;
      try {
        runBacktest(
          sessions.filter((s) => s.date >= from),
          ports,
          cfg,
          {
            initialEquity: 100_000,
            fill: ORATS_LIKE_FILL,
            pricesSource: { kind: 'modelled', detail: 'parity test' },
            onDecision: (s, res, equityBefore, book) => {
              days++;
              hedgeOrders += res.intents.filter((i) => i.kind === 'hedge').length;
              if (res.state.triggeredLayers > 0) stateful++;
              const live = signalStepWithState({
                ev: {
                  kind: 'session',
                  date: s.date,
                  instantUtcMs: s.instantUtcMs,
                  market: s.market,
                  book,
                  equity: equityBefore,
                },
                ports,
                cfg,
                stateKey: preset,
                store: journal,
                sessions,
              });
              if (decisions(live) !== decisions(res)) mismatches.push(s.date);
            },
          },
        );
        expect(days).toBeGreaterThan(245);
        expect(mismatches).toEqual([]);
        // the journal holds one state per session, and the last one is what the next signal starts from
        expect(journal.engineStateBefore(preset, '2019-01-02')?.date).toBe(to);
        expect(hedgeOrders).toBeGreaterThan(0);
        if (preset === 'seed') expect(stateful).toBeGreaterThan(0);
      } finally {
        journal.close();
      }
    });
  }
});
