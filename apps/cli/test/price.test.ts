import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';
import { vectorPath } from '../../../test/support/paths';

const dir = mkdtempSync(join(tmpdir(), 'vixshield-price-'));
const write = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

describe('vixshield price / iv', () => {
  it('prices the public vectors and fills in all nine Greeks (to the README tolerance)', () => {
    const cases = JSON.parse(readFileSync(vectorPath('pricing/public.json'), 'utf8')) as Array<
      Record<string, number | string>
    >;
    const stripped = cases
      .slice(0, 300)
      .map(({ price, delta, gamma, vega, theta, rho, vanna, volga, charm, ...rest }) => rest);
    const out = join(dir, 'priced.json');
    const run = runCli(['price', '--input', write('cases.json', stripped), '--output', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const priced = JSON.parse(readFileSync(out, 'utf8')) as Array<Record<string, number | string>>;
    expect(priced).toHaveLength(300);
    priced.forEach((p, i) => {
      const want = cases[i]!;
      expect(p.id).toBe(want.id);
      const u = Number(want.S ?? want.F);
      expect(Math.abs(Number(p.price) - Number(want.price))).toBeLessThanOrEqual(
        1e-9 * u + 1e-9 * Math.abs(Number(want.price)),
      );
      expect(Math.abs(Number(p.delta) - Number(want.delta))).toBeLessThanOrEqual(
        1e-9 + 1e-9 * Math.abs(Number(want.delta)),
      );
    });
  });

  it('iv adds iv and ivStatus to each case with a price, to stdout', () => {
    const run = runCli([
      'iv',
      '--input',
      write('iv.json', [
        { model: 'bsm', type: 'call', S: 42, K: 40, T: 0.5, r: 0.1, q: 0, price: 4.759422392871533 },
        { model: 'black76', type: 'put', F: 20, K: 25, T: 0.25, r: 0.03, price: 1 },
        { model: 'bsm', type: 'call', S: 100, K: 90, T: 0.5, r: 0, q: 0, price: 5 },
      ]),
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Array<{ iv: number | null; ivStatus: string }>;
    expect(out[0]!.ivStatus).toBe('ok');
    expect(out[0]!.iv).toBeCloseTo(0.2, 12);
    expect(out[1]).toMatchObject({ iv: null, ivStatus: 'below-intrinsic' });
    expect(out[2]).toMatchObject({ iv: null, ivStatus: 'below-intrinsic' });
  });

  it('bad input exits 2, names case index and field, and writes nothing', () => {
    const out = join(dir, 'never.json');
    const bad = [
      { model: 'bsm', type: 'call', S: 42, K: 40, T: 0.5, r: 0.1, q: 0, sigma: 0.2 },
      { model: 'bsm', type: 'call', S: 42, K: 40, T: -1, r: 0.1, q: 0, sigma: 0.2 },
      { model: 'bsm', type: 'call', S: '42', K: 40, T: 1, r: 0.1, q: 0, sigma: 0.2 },
      { model: 'black76', type: 'put', K: 40, T: 1, r: 0.1, sigma: 0.2 },
    ];
    const run = runCli(['price', '--input', write('bad.json', bad), '--output', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('case 1: field "T"');
    expect(run.stderr).toContain('case 2: field "S"');
    expect(run.stderr).toContain('case 3: field "F"');
    expect(existsSync(out)).toBe(false);

    const noSigma = runCli([
      'price',
      '--input',
      write('nosigma.json', [{ model: 'bsm', type: 'put', S: 1, K: 1, T: 1, r: 0, q: 0 }]),
    ]);
    expect(noSigma.code).toBe(2);
    expect(noSigma.stderr).toContain('case 0: field "sigma"');

    const notJson = runCli(['iv', '--input', write('broken.json', '[{"model": ')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not valid JSON/);

    const missing = runCli(['iv', '--input', join(dir, 'does-not-exist.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
  });

  it('streams: 150,000 cases price in a 48 MB heap (memory flat in the number of cases)', () => {
    // About 20 MB of JSON in, 55 MB out: parsing it whole and pretty-printing the result needs
    // a few hundred MB of heap, so this fails without streaming (checked: out of memory).
    const n = 150_000;
    const path = join(dir, 'many.json');
    const lines: string[] = [];
    for (let i = 0; i < n; i++)
      lines.push(
        JSON.stringify({
          id: `c${i}`,
          model: 'bsm',
          type: i % 2 ? 'call' : 'put',
          S: 5000,
          K: 4500 + (i % 200) * 5,
          T: 0.01 + (i % 50) / 100,
          r: 0.04,
          q: 0.013,
          sigma: 0.1 + (i % 30) / 100,
        }),
      );
    writeFileSync(path, `[${lines.join(',')}]`);
    const out = join(dir, 'many-priced.json');
    const run = runCli(['price', '--input', path, '--output', out], {
      env: { NODE_OPTIONS: '--max-old-space-size=48' },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')).toHaveLength(n + 3); // '[', one line per case, ']', ''
    const last = JSON.parse(text.split('\n')[n]!.replace(/,$/, '')) as { id: string; price: number };
    expect(last.id).toBe(`c${n - 1}`);
    expect(last.price).toBeGreaterThan(0);
  }, 180_000);
});
