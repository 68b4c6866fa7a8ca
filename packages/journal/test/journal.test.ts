import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConflictError, InvalidInputError, UnavailableError } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { canonicalJsonText, inputsHash, openJournal } from '../src/journal';
import { holdExclusiveLock } from '../src/sqlite';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'vixshield-journal-')), 'journal.sqlite');

describe('journal', () => {
  it('canonical JSON sorts keys recursively, so the inputs hash ignores key order', () => {
    expect(canonicalJsonText({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(inputsHash({ a: 1, b: 2 })).toBe(inputsHash({ b: 2, a: 1 }));
  });

  it('a data directory that cannot be created is refused at once, naming it (no recursive-mkdir spin under /proc)', () => {
    for (const [dir, why] of [
      ['/proc/vixshield-nope', 'it cannot be created there'],
      ['/etc/passwd/x', 'a part of the path is a file'],
    ] as const) {
      expect(() => openJournal(join(dir, 'journal.sqlite'))).toThrow(
        new RegExp(`data directory ${dir} cannot be written \\(${why}\\)`),
      );
      expect(() => holdExclusiveLock(join(dir, 'server.lock'))).toThrow(UnavailableError);
    }
  });

  it('uses WAL and records its migrations; reopening applies nothing twice', () => {
    const p = tmp();
    const j = openJournal(p);
    expect(j.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(j.migrations()).toEqual([1, 2, 3]);
    j.close();
    const j2 = openJournal(p);
    expect(j2.migrations()).toEqual([1, 2, 3]);
    j2.close();
  });

  it('storing the same inputs for (date, preset) is a no-op; different inputs record a revision', () => {
    const j = openJournal(tmp(), { now: () => Date.UTC(2026, 0, 2) });
    const a = { date: '2024-06-03', preset: 'vixshield', equity: 100000 };
    expect(j.storeSignal('2024-06-03', 'vixshield', a, { x: 1 })).toMatchObject({
      status: 'inserted',
      revision: 1,
    });
    expect(j.storeSignal('2024-06-03', 'vixshield', { ...a }, { x: 1 })).toMatchObject({
      status: 'unchanged',
      revision: 1,
    });
    expect(j.signals()).toHaveLength(1);
    const b = { ...a, equity: 250000 };
    expect(j.storeSignal('2024-06-03', 'vixshield', b, { x: 2 })).toMatchObject({
      status: 'revised',
      revision: 2,
    });
    expect(j.latestSignal('2024-06-03', 'vixshield')?.signal).toEqual({ x: 2 });
    expect(j.findSignal('2024-06-03', 'vixshield', a)?.revision).toBe(1);
    expect(j.latestSignal('2024-06-03', 'seed')).toBeUndefined();
    expect(j.signals()[0]!.createdAt).toBe('2026-01-02T00:00:00.000Z');
    j.close();
  });

  it('book fills are validated, idempotent per id and immutable', () => {
    const j = openJournal(tmp());
    const fill = {
      id: 'f1',
      instrument: 'condor' as const,
      action: 'open' as const,
      positionId: 'ic1',
      date: '2024-06-03',
      tier: 'balanced' as const,
      expiry: '2024-06-04',
      strikes: { putLong: 5200, putShort: 5210, callShort: 5330, callLong: 5340 },
      quantity: 2,
      price: 1.15,
    };
    expect(j.recordFills([fill])).toEqual({ recorded: 1, unchanged: 0 });
    expect(j.recordFills([fill])).toEqual({ recorded: 0, unchanged: 1 });
    expect(() => j.recordFills([{ ...fill, price: 2 }])).toThrow(ConflictError);
    expect(() => j.recordFills([{ ...fill, id: 'f2', quantity: -1 }])).toThrow(InvalidInputError);
    expect(j.openPositions()).toHaveLength(1);
    j.recordFills([{ ...fill, id: 'f3', action: 'close', quantity: 2, price: 0.1 }]);
    expect(j.openPositions()).toHaveLength(0);
    expect(j.fills()).toHaveLength(2);
    j.close();
  });

  it('deliveries are keyed by (date, preset, url) and count attempts', () => {
    const j = openJournal(tmp());
    j.recordDelivery('2024-06-03', 'vixshield', 'http://x/hook', 'failed', 'HTTP 500');
    const d = j.recordDelivery('2024-06-03', 'vixshield', 'http://x/hook', 'delivered');
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect(j.deliveries()).toHaveLength(1);
    j.close();
  });

  it('kill -9 mid-write loses no committed row and duplicates none', async () => {
    const p = tmp();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./journal-writer.child.ts', import.meta.url)), p],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const committed: number[] = [];
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) {
          const [status, i] = l.split(':');
          expect(status).toBe('inserted');
          committed.push(Number(i));
        }
        if (committed.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(child.signalCode).toBe('SIGKILL');
    const j = openJournal(p);
    expect(j.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = j.signals();
    const seen = new Set<number>();
    for (const r of rows) {
      const s = r.signal as { i: number; date: string; preset: string; big: string };
      expect(r.revision).toBe(1); // the duplicate store was a no-op, even across the crash
      expect(s.date).toBe(r.date);
      expect(s.big).toHaveLength(4000);
      expect(seen.has(s.i)).toBe(false);
      seen.add(s.i);
    }
    // Every row the child reported as committed is there; at most the in-flight one more.
    for (const i of committed) expect(seen.has(i)).toBe(true);
    expect(rows.length - committed.length).toBeGreaterThanOrEqual(0);
    expect(rows.length - committed.length).toBeLessThanOrEqual(1);
    // Rows are contiguous 0..n-1: nothing in the middle was lost.
    expect([...seen].sort((a, b) => a - b)).toEqual(rows.map((_, k) => k));
    // And the journal is writable again after the crash.
    expect(j.storeSignal('2030-01-02', 'x', { a: 1 }, {}).status).toBe('inserted');
    j.close();
  });
});
