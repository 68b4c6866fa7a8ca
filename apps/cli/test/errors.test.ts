import { ChainStoreBusyError } from '@vixshield/chains';
import { InvalidInputError } from '@vixshield/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../src/errors';

describe('reportError: exit codes by kind of failure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('bad input exits 2; a chain store held by another process exits 1 with the retry hint', () => {
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    expect(reportError(new InvalidInputError('bad date', 'date', 'use YYYY-MM-DD'))).toBe(2);
    expect(
      reportError(new ChainStoreBusyError('/d/chains.duckdb is open in another process', 'dataDir', 'wait')),
    ).toBe(1);
    expect(out[1]).toBe('vixshield: /d/chains.duckdb is open in another process; wait\n');
  });
});
