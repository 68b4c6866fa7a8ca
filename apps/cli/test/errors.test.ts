import { ChainStoreBusyError } from '@vixshield/chains';
import { AS_SENTENCE, InvalidInputError, NotFoundError } from '@vixshield/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_CODE_OF_KIND, optionOfField, reportError } from '../src/errors';

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

describe('the CLI names domain fields as options', () => {
  it('maps each field to the option a user types, camelCase to kebab-case', () => {
    expect(optionOfField('from')).toBe('--from');
    expect(optionOfField('walkForward')).toBe('--walk-forward');
    expect(optionOfField('dataDir')).toBe('--data-dir');
  });

  it('a use-case error naming fields prints them as options, with the exit code of its kind', () => {
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const bad = new InvalidInputError(
      '{to} 2019-01-02 is before {from} 2020-01-02',
      'to',
      'swap them',
      AS_SENTENCE,
    );
    expect(reportError(bad)).toBe(EXIT_CODE_OF_KIND.invalid);
    expect(out[0]).toBe('vixshield: --to 2019-01-02 is before --from 2020-01-02\n');
    expect(reportError(new NotFoundError('no chain for {date} 2018-02-05', 'date', 'h', AS_SENTENCE))).toBe(
      1,
    );
    expect(out[1]).toBe('vixshield: no chain for --date 2018-02-05\n');
    expect(EXIT_CODE_OF_KIND).toEqual({
      invalid: 2,
      conflict: 2,
      'not-found': 1,
      unavailable: 1,
      damaged: 1,
    });
    vi.restoreAllMocks();
  });
});

describe('never a stack trace', () => {
  it('an operating-system error exits 1 with its fix; an unexpected one prints its message only', () => {
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8787'), {
      code: 'EADDRINUSE',
    });
    expect(reportError(inUse)).toBe(1);
    expect(out[0]).toBe(
      'vixshield: listen EADDRINUSE: address already in use 127.0.0.1:8787; the port is in use: stop the other server or pass another --port\n',
    );
    const notDir = Object.assign(new Error("ENOTDIR: not a directory, open '/etc/passwd/x'"), {
      code: 'ENOTDIR',
    });
    expect(reportError(notDir)).toBe(1);
    expect(out[1]).toMatch(/not a directory: pick another path\n$/);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(reportError(bug)).toBe(1);
    expect(out[2]).toMatch(
      /^vixshield: internal error: Cannot read properties of undefined \(reading 'x'\) \(this is a bug/,
    );
    expect(out.join('')).not.toMatch(/\n\s+at /);
    vi.restoreAllMocks();
  });
});
