import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeEdr, DEFAULT_EDR_BIAS, InvalidInputError, type IsoDate } from '@vixshield/core';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { type EdrOutput, formatEdrText, type MarketDay, registerEdr, runEdr } from '../src/commands/edr';
import { EXIT_CODE_OF_KIND } from '../src/errors';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/vixshield.js');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'edr', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vixshield edr (spawning the real bin)', () => {
  it('anchor: --vix 17.95 --spx 7140 --mode low --json prints edrPct 1.16 and edrPts ~82.8', () => {
    const r = cli('--vix', '17.95', '--spx', '7140', '--mode', 'low', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as EdrOutput;
    expect(out.edrPct).toBe(1.16);
    expect(out.edrPts).toBeCloseTo(82.824, 9);
    expect(out.upper).toBeCloseTo(7222.824, 9);
    expect(out.lower).toBeCloseTo(7057.176, 9);
    expect(out.mode).toBe('low');
    expect(out.inputs.bias).toBe(DEFAULT_EDR_BIAS);
    expect(out.inputs.fallbacks).toEqual([]);
    expect(Object.keys(out).sort()).toEqual(['edrPct', 'edrPts', 'inputs', 'lower', 'mode', 'upper']);
  });

  it('default mode is medium; without --vix9d it falls back to VIX and the text says so', () => {
    const r = cli('--vix', '17.95', '--spx', '7140');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EDR 1.160% = 82.82 pts  (mode medium)');
    expect(r.stdout).toContain('range 7057.18 .. 7222.82');
    expect(r.stdout).toContain('note: VIX9D not available; used VIX (30-day) instead');
  });

  it('high mode blends --vix9d and --hv20 (JSON matches the core)', () => {
    const r = cli(
      '--vix',
      '20',
      '--vix9d',
      '16',
      '--hv20',
      '12',
      '--spx',
      '6000',
      '--mode',
      'high',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as EdrOutput;
    const expected = computeEdr({ spx: 6000, vix: 20, vix9d: 16, hv20: 12 }, { mode: 'high' });
    expect(out).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(out.inputs.blendVol).toBe(14);
    expect(out.edrPct).toBeCloseTo((1.16 * 14) / 17.95, 12);
  });

  it('glossary-literal is printed and labelled UNVERIFIED', () => {
    const r = cli(
      '--vix',
      '18',
      '--vix9d',
      '16',
      '--hv20',
      '12',
      '--spx',
      '6000',
      '--mode',
      'glossary-literal',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EDR 7.600% = 456.00 pts');
    expect(r.stdout).toContain('UNVERIFIED');
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['non-numeric --vix', ['--vix', 'abc', '--spx', '7140'], /--vix/],
    ['negative --spx', ['--vix', '17.95', '--spx', '-5'], /--spx/],
    ['zero --vix9d', ['--vix', '17.95', '--vix9d', '0', '--spx', '7000'], /--vix9d/],
    ['hex --hv20', ['--vix', '17.95', '--hv20', '0x10', '--spx', '7000'], /--hv20/],
    ['missing --spx', ['--vix', '17.95'], /--spx is required/],
    ['missing --vix', ['--spx', '7140'], /--vix is required/],
    ['nothing at all', [], /--date YYYY-MM-DD, or --vix X --spx S/],
    ['unknown --mode', ['--vix', '17.95', '--spx', '7140', '--mode', 'extreme'], /--mode/],
    ['high without --hv20', ['--vix', '17.95', '--spx', '7140', '--mode', 'high'], /--hv20 is required/],
    ['bad --date', ['--date', '2024-02-30'], /--date/],
    ['--date with --vix', ['--date', '2024-08-05', '--vix', '18'], /--date cannot be combined/],
  ];
  it.each(bad)('%s exits 2 naming the option', (_label, args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('--date reads the embedded data: 2024-08-05 (VIX 38.57, VIX9D 42.79, SPX 5186.33)', () => {
    const r = cli('--date', '2024-08-05', '--mode', 'low', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as {
      edrPct: number;
      edrPts: number;
      inputs: { spx: number; vix: number };
    };
    expect(o.inputs.spx).toBe(5186.33);
    expect(o.inputs.vix).toBe(38.57);
    // low mode: 38.57 x bias / sqrt(252), bias = 1.16 sqrt(252) / 17.95
    expect(o.edrPct).toBeCloseTo((38.57 * 1.16) / 17.95, 10);
  });
});

describe('edr --date with an injected loader (in process)', () => {
  // 21 closes alternating 5000 / 5000e^0.01: HV20 = 100 * 0.01 * sqrt(20/19) * sqrt(252) = 16.2869...
  const closes = Array.from({ length: 41 }, (_, i) => (i % 2 === 0 ? 5000 : 5000 * Math.exp(0.01)));
  const hv = 100 * 0.01 * Math.sqrt(20 / 19) * Math.sqrt(252);
  const day: MarketDay = { spx: 5000, vix: 18, vix9d: 16, closes };
  const seen: string[] = [];
  const loadMarketDay = (date: IsoDate): MarketDay | undefined => {
    seen.push(date);
    return date === '2024-08-05' ? day : undefined;
  };

  it('computes HV20 from the closes and blends it in high mode', async () => {
    const out = await runEdr({ date: '2024-08-05' as IsoDate, mode: 'high' }, { loadMarketDay });
    expect(seen).toContain('2024-08-05');
    expect(out.date).toBe('2024-08-05');
    expect(out.inputs.hv20).toBeCloseTo(hv, 9);
    expect(out.inputs.blendVol).toBeCloseTo(0.5 * 16 + 0.5 * hv, 9);
    expect(out.edrPct).toBeCloseTo((DEFAULT_EDR_BIAS * (0.5 * 16 + 0.5 * hv)) / Math.sqrt(252), 12);
    expect(out.edrPts).toBeCloseTo((out.edrPct / 100) * 5000, 9);
  });

  it('uses VIX9D in the default (medium) mode and reports the fallback when the day has none', async () => {
    const withV9 = await runEdr({ date: '2024-08-05' as IsoDate }, { loadMarketDay });
    expect(withV9.mode).toBe('medium');
    expect(withV9.inputs.blendVol).toBe(16);
    const noV9 = await runEdr(
      { date: '2024-08-05' as IsoDate },
      { loadMarketDay: () => ({ ...day, vix9d: null }) },
    );
    expect(noV9.inputs.blendVol).toBe(18);
    expect(noV9.inputs.fallbacks).toHaveLength(1);
  });

  it('a day the data set does not have is a usage error (exit 2)', async () => {
    const err = await runEdr({ date: '2024-08-03' as IsoDate }, { loadMarketDay }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(EXIT_CODE_OF_KIND[(err as InvalidInputError).kind]).toBe(2);
    expect((err as InvalidInputError).message).toMatch(/no market data for 2024-08-03/);
  });

  it('too little history for HV20 in high mode is reported, not turned into NaN', async () => {
    const short = () => ({ ...day, closes: closes.slice(0, 10) });
    const err = await runEdr({ date: '2024-08-05' as IsoDate, mode: 'high' }, { loadMarketDay: short }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).message).toMatch(/need 21 closes, have 10/);
    // ...while low/medium do not need HV20 at all.
    const low = await runEdr({ date: '2024-08-05' as IsoDate, mode: 'low' }, { loadMarketDay: short });
    expect(low.edrPct).toBeCloseTo((1.16 * 18) / 17.95, 12);
    expect(low.inputs.hv20).toBeNull();
  });

  it('registerEdr wires the loader and the output sink into a commander program', async () => {
    const printed: string[] = [];
    const program = new Command().exitOverride();
    registerEdr(program, { loadMarketDay, out: (t) => printed.push(t) });
    await program.parseAsync(['edr', '--date', '2024-08-05', '--mode', 'low', '--json'], { from: 'user' });
    const out = JSON.parse(printed.join('')) as EdrOutput;
    expect(out.date).toBe('2024-08-05');
    expect(out.edrPct).toBeCloseTo((1.16 * 18) / 17.95, 12);
  });

  it('formatEdrText shows the date', async () => {
    const out = await runEdr({ date: '2024-08-05' as IsoDate, mode: 'low' }, { loadMarketDay });
    expect(formatEdrText(out).split('\n')[0]).toBe('EDR 1.163% = 58.16 pts  (mode low, 2024-08-05)');
  });
});
