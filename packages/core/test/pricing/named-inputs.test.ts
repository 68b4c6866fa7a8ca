import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bsmPrice, InvalidInputError, type OptionInputs } from '../../src/index';

/*
 * The scalar pricing API takes one object of named inputs, so a call that swaps the rate and the
 * dividend yield (or the spot and the strike, or puts isCall elsewhere) cannot type-check as the old
 * positional numbers did. named-inputs.fixture.ts holds the calls that must not compile, each under a
 * `@ts-expect-error` directive; here the fixture is compiled with the directives removed, and the lines
 * with errors must be exactly the lines those directives marked: no fewer (a bad call that compiles) and
 * no more (the correct calls in the fixture compile, so the failures are the ones meant).
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = resolve(HERE, 'named-inputs.fixture.ts');
const DIRECTIVE = /\/\/ @ts-expect-error\b(.*)$/;

function compileWithoutDirectives(): { expected: Map<number, string>; errors: Map<number, string[]> } {
  const original = readFileSync(FIXTURE, 'utf8');
  const lines = original.split('\n');
  const expected = new Map<number, string>(); // 0-based line that must fail -> why
  const stripped = lines.map((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return line;
    expected.set(i + 1, (m[1] ?? '').trim());
    return line.replace(DIRECTIVE, ''); // same line count, so line numbers still match
  });
  const text = stripped.join('\n');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    resolve(HERE, '../../../../tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('cannot read tsconfig.json');
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const isFixture = (f: string) => resolve(f) === FIXTURE;
  host.readFile = (f) => (isFixture(f) ? text : readFile(f));
  host.getSourceFile = (f, lang, onError, fresh) =>
    isFixture(f) ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, fresh);
  const program = ts.createProgram({ rootNames: [FIXTURE], options: parsed.options, host });
  const errors = new Map<number, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || !isFixture(d.file.fileName) || d.start === undefined) {
      throw new Error(`unexpected diagnostic outside the fixture: ${message}`);
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line; // 0-based
    errors.set(line, [...(errors.get(line) ?? []), `TS${d.code}: ${message}`]);
  }
  return { expected, errors };
}

describe('pricing inputs by name', () => {
  it('a positional, swapped, misnamed or wrong-model call does not compile; the named calls do', () => {
    const { expected, errors } = compileWithoutDirectives();
    expect(expected.size).toBeGreaterThanOrEqual(10);
    const compiled = [...expected].filter(([line]) => !errors.has(line)).map(([, why]) => why);
    expect(compiled, 'these bad calls compiled').toEqual([]);
    const unexpected = [...errors].filter(([line]) => !expected.has(line));
    expect(unexpected, 'errors on lines no directive marked').toEqual([]);
  }, 60_000);

  it('a positional call from untyped code fails at run time naming the field, instead of pricing', () => {
    const positional = bsmPrice as unknown as (...args: unknown[]) => number;
    expect(() => positional(true, 5000, 4900, 0.1, 0.05, 0.013, 0.2)).toThrow(InvalidInputError);
    expect(() => positional(true, 5000, 4900, 0.1, 0.05, 0.013, 0.2)).toThrow(/spot = undefined/);
  });

  it('a swapped rate and yield, written by name, prices what the names say', () => {
    // The names make a swap visible, not impossible: the same two numbers in the other fields give
    // another price, so the test would catch an implementation that read them the wrong way round.
    const o: OptionInputs = {
      isCall: true,
      spot: 5000,
      strike: 5000,
      yearsToExpiry: 1,
      riskFreeRate: 0.05,
      dividendYield: 0.01,
      vol: 0.2,
    };
    const swapped = { ...o, riskFreeRate: 0.01, dividendYield: 0.05 };
    // Textbook BSM, computed independently (Python, math.erf): 491.3148891369556 and 297.2128428946855.
    expect(bsmPrice(o)).toBeCloseTo(491.3148891369556, 9);
    expect(bsmPrice(swapped)).toBeCloseTo(297.2128428946855, 9);
  });
});
