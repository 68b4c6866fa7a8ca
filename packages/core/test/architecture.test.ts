import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Enforces ARCHITECTURE.md: packages/core is pure (no Node built-ins, no other workspace, no clock,
 * no unseeded randomness, no logging) and its layers only import inward.
 */
const coreSrc = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Rank of each core layer: a module may import only layers of equal or lower rank. */
export const LAYER_RANK: Readonly<Record<string, number>> = {
  domain: 0,
  math: 0,
  calendar: 1,
  pricing: 2,
  market: 3,
  strategies: 4,
  execution: 4,
  // The book and its ledger account for positions the strategies define, filled by execution.
  portfolio: 5,
  engine: 5,
  backtest: 6,
  signals: 6,
  metrics: 6,
};
const ROOT_RANK = 99; // src/index.ts re-exports everything

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function layerOf(file: string): string | undefined {
  const rel = relative(coreSrc, file);
  return rel.includes(sep) ? rel.split(sep)[0] : undefined;
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2]) as string);
  return specs;
}

const files = listTs(coreSrc);
const builtins = new Set(builtinModules);

describe('core architecture', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it('imports no Node built-in and no other workspace package', () => {
    const offenders: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (
          spec.startsWith('node:') ||
          builtins.has(spec.split('/')[0] as string) ||
          spec.startsWith('@vixshield/')
        ) {
          offenders.push(`${relative(coreSrc, f)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every folder under src is a known layer', () => {
    const unknown = [...new Set(files.map(layerOf).filter((l): l is string => l !== undefined))].filter(
      (l) => !(l in LAYER_RANK),
    );
    expect(unknown).toEqual([]);
  });

  it('inner layers never import outer layers', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      const fromRank = from === undefined ? ROOT_RANK : (LAYER_RANK[from] ?? ROOT_RANK);
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(resolve(dirname(f), spec));
        const toRank = target === undefined ? ROOT_RANK : (LAYER_RANK[target] ?? ROOT_RANK);
        if (toRank > fromRank)
          offenders.push(`${relative(coreSrc, f)} (${from}) imports ${spec} (${target ?? 'root'})`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads no clock, no environment, no unseeded randomness and does no logging', () => {
    const banned = [
      /\bDate\.now\s*\(/,
      /\bnew Date\s*\(/,
      /\bMath\.random\s*\(/,
      /\bprocess\./,
      /\bconsole\./,
      /\bperformance\.now/,
    ];
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const re of banned) if (re.test(text)) offenders.push(`${relative(coreSrc, f)}: ${re.source}`);
    }
    expect(offenders).toEqual([]);
  });
});
