import { join } from 'node:path';
import { type PaperOptions, type PaperRecord, presetOption, updatePaperBook } from '@vixshield/app';
import { type Journal, openJournal, PaperJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';

/*
 * The forward paper record over HTTP and for the CLI (issue 13 item 4). A module of its own so the
 * route moves into a fastify plugin as it is: `registerPaperRoutes(app, journal)`.
 */

const paperJournals = new WeakMap<Journal, PaperJournal>();

/** The paper book tables of this journal (created on first use). */
export function paperJournalOf(journal: Journal): PaperJournal {
  let p = paperJournals.get(journal);
  if (!p) {
    p = new PaperJournal(journal.db);
    paperJournals.set(journal, p);
  }
  return p;
}

/** What GET /api/paper and `vixshield paper` answer before the first update of a preset. */
function emptyRecord(preset: string): PaperRecord {
  return {
    preset,
    startedOn: null,
    through: null,
    pricesSource: { kind: 'modelled', detail: 'no paper record yet' },
    fills: [],
    days: [],
    modelError: { entries: 0, meanPts: null, meanAbsPts: null },
    notes: [
      `no paper record for preset ${preset} yet: 'serve --schedule' records one after each close from the day's chain snapshot, or run 'vixshield paper'`,
    ],
  };
}

/** The stored record of a preset (as the scheduler last wrote it). */
export function storedPaperRecord(journal: Journal, preset: string): PaperRecord {
  const r = paperJournalOf(journal).record(preset);
  return r ? (r.record as PaperRecord) : emptyRecord(preset);
}

/** Brings a preset's paper book up to date and stores it in the journal. */
export function updateStoredPaperBook(
  journal: Journal,
  opts: Omit<PaperOptions, 'journal'>,
): Promise<PaperRecord> {
  return updatePaperBook({ ...opts, journal: paperJournalOf(journal) });
}

/** `vixshield paper`: updates (or with `stored`, only reads) the record in <dataDir>/journal.sqlite. */
export async function paperCommand(
  dataDir: string,
  opts: Omit<PaperOptions, 'journal' | 'dataDir'> & { stored?: boolean },
): Promise<PaperRecord> {
  const journal = openJournal(join(dataDir, 'journal.sqlite'));
  try {
    if (opts.stored) return storedPaperRecord(journal, presetOption(opts.preset));
    return await updateStoredPaperBook(journal, { ...opts, dataDir });
  } finally {
    journal.close();
  }
}

/** GET /api/paper?preset=P: the forward paper record since its start, trade by trade. */
export function registerPaperRoutes(app: FastifyInstance, journal: Journal): void {
  app.get(
    '/api/paper',
    {
      schema: {
        summary:
          'the forward paper record of a preset: trades at the recorded chain snapshots, P&L, drawdown, the model credit beside the real one',
        querystring: { type: 'object', properties: { preset: { type: 'string' } } },
      },
    },
    async (req) => {
      const q = req.query as { preset?: string };
      const preset = presetOption(q.preset);
      return {
        ...storedPaperRecord(journal, preset),
        books: paperJournalOf(journal)
          .books()
          .map((b) => b.preset),
      };
    },
  );
}
