import { describe, expect, it } from 'vitest';
import {
  AS_SENTENCE,
  ConflictError,
  DamagedDataError,
  DomainError,
  InvalidInputError,
  NotFoundError,
  renderFieldRefs,
  UnavailableError,
} from '../../src/domain/errors';

describe('the error taxonomy', () => {
  it('each class carries its kind, its field and its hint', () => {
    const cases: Array<[DomainError, string]> = [
      [new InvalidInputError('m', 'equity', 'h'), 'invalid'],
      [new NotFoundError('m', 'date', 'h'), 'not-found'],
      [new ConflictError('m', 'id', 'h'), 'conflict'],
      [new UnavailableError('m', 'dataDir', 'h'), 'unavailable'],
      [new DamagedDataError('m', 'column', 'h'), 'damaged'],
    ];
    for (const [err, kind] of cases) {
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toBeInstanceOf(Error);
      expect(err.kind).toBe(kind);
      expect(err.hint).toBe('h');
    }
    expect(new NotFoundError('m', 'date', 'h').name).toBe('NotFoundError');
  });

  it('field references render per edge; the message shows the bare field name', () => {
    const err = new InvalidInputError(
      '{to} 2019-01-02 is before {from} 2020-01-02',
      'to',
      'swap {from} and {to}',
      AS_SENTENCE,
    );
    expect(err.message).toBe('to 2019-01-02 is before from 2020-01-02');
    expect(err.render((f) => `--${f}`)).toBe('--to 2019-01-02 is before --from 2020-01-02');
    expect(err.renderHint((f) => `--${f}`)).toBe('swap --from and --to');
    expect(err.hintInMessage).toBe(true);
  });

  it('without fieldRefs, braces in a message are left alone (a quoted value is never rewritten)', () => {
    const err = new InvalidInputError("bad value '{abc}'", 'x', 'h');
    expect(err.message).toBe("bad value '{abc}'");
    expect(err.render((f) => `--${f}`)).toBe("bad value '{abc}'");
  });

  it('a service hint replaces the hint for a remote client only', () => {
    const err = new UnavailableError('busy', 'dataDir', 'use another {dataDir}', {
      fieldRefs: true,
      serviceHint: 'retry later',
    });
    expect(err.renderHint(() => '--data-dir')).toBe('use another --data-dir');
    expect(err.renderHint((f) => f, true)).toBe('retry later');
  });

  it('renderFieldRefs reads {identifier} only, never JSON', () => {
    expect(renderFieldRefs('{"a":1} {walkForward}', (f) => f.toUpperCase())).toBe('{"a":1} WALKFORWARD');
  });
});
