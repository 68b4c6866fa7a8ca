import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import {
  coreBannedCallViolations,
  coreThirdPartyViolations,
  cyclesOf,
  folderViolations,
  importsOf,
  manifestViolations,
  PACKAGE_GRAPH,
  packageGraphViolations,
  type SourceTree,
  webViolations,
} from './architecture-rules';

/**
 * Enforces docs/architecture.md over the whole workspace: the package graph, the core's third-party
 * allow-list, its layers and folder cycles, the calls banned in the core, and a dashboard that talks
 * only to the HTTP API. Each rule first proves on a small in-memory bad example that it can fail.
 */

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listSources(p));
    else if (/\.(ts|mts|js|mjs)$/.test(p) && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function repoTree(): SourceTree {
  const tree: Record<string, string> = {};
  for (const p of PACKAGE_GRAPH) {
    for (const sub of ['src', 'bin']) {
      const dir = resolve(REPO_ROOT, p.dir, sub);
      let files: string[];
      try {
        files = listSources(dir);
      } catch {
        continue; // a package without bin/
      }
      for (const f of files) tree[relative(REPO_ROOT, f).split('\\').join('/')] = readFileSync(f, 'utf8');
    }
  }
  return tree;
}

const tree = repoTree();

describe('the architecture rules can fail (in-memory bad examples)', () => {
  it('package graph: an inner package importing an outer one, or a relative path out of a package', () => {
    const bad: SourceTree = {
      'packages/data/src/a.ts': "import { runCliBacktest } from '@vixshield/app';",
      'packages/core/src/domain/b.ts': "export { x } from '@vixshield/data';",
      'apps/server/src/c.ts': "const r = await import('@vixshield/research');",
      'packages/app/src/d.ts': "import { loaders } from '../../data/src/loaders';",
    };
    const v = packageGraphViolations(bad);
    expect(v).toHaveLength(4);
    expect(v.join('\n')).toMatch(/data may not import @vixshield\/app/);
    expect(v.join('\n')).toMatch(/server may not import @vixshield\/research/);
    expect(v.join('\n')).toMatch(/leaves packages\/app/);
    expect(
      packageGraphViolations({ 'packages/app/src/ok.ts': "import { x } from '@vixshield/data';" }),
    ).toEqual([]);
  });

  it('package manifests: a dependency the graph does not allow, or a package the graph does not know', () => {
    expect(
      manifestViolations({
        'apps/server': { dependencies: { '@vixshield/research': '0.1.0' } },
        'apps/x': {},
      }),
    ).toHaveLength(2);
  });

  it('core third-party: a Node built-in or a package off the allow-list', () => {
    const bad: SourceTree = {
      'packages/core/src/pricing/a.ts': "import { readFileSync } from 'node:fs';",
      'packages/core/src/pricing/b.ts': "import Decimal from 'decimal.js';\nimport { z } from 'zod';",
      'packages/core/src/pricing/c.ts': "import { x } from '../math/index';",
    };
    expect(coreThirdPartyViolations(bad)).toEqual([
      "packages/core/src/pricing/a.ts: imports the Node built-in 'node:fs'",
      "packages/core/src/pricing/b.ts: imports 'decimal.js', not in the core's allow-list (zod)",
    ]);
  });

  it('folders: an inner layer importing an outer one, a same-rank cycle, a cycle outside the core', () => {
    const bad: SourceTree = {
      'packages/core/src/pricing/a.ts': "import { step } from '../engine/step';",
      'packages/core/src/engine/b.ts': "import { Portfolio } from '../portfolio/index';",
      'packages/core/src/portfolio/c.ts': "import type { StepResult } from '../engine/index';",
      'packages/core/src/mystery/d.ts': 'export const x = 1;',
      'packages/data/src/providers/e.ts': "import { f } from '../intraday/f';",
      'packages/data/src/intraday/f.ts': "import { e } from '../providers/e';",
    };
    const v = folderViolations(bad).join('\n');
    expect(v).toMatch(/pricing \(rank 2\) imports engine \(rank 5\)/);
    expect(v).toMatch(/packages\/core\/src: folders import each other in a cycle: engine <-> portfolio/);
    expect(v).toMatch(/mystery: a core folder without a rank/);
    expect(v).toMatch(/packages\/data\/src: folders import each other in a cycle: intraday <-> providers/);
    expect(
      cyclesOf(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set<string>()],
        ]),
      ),
    ).toEqual([]);
  });

  it('banned calls in the core: each one is caught, comments are not code', () => {
    const calls = [
      "await fetch('https://x')",
      'setTimeout(f, 1)',
      'setInterval(f, 1)',
      'crypto.randomUUID()',
      'const t = Date.now();',
      'const d = new Date();',
      'const t = new Date(2024, 0, 2);',
      "const ms = Date.parse('2024-01-02');",
      'Math.random()',
      'process.env.HOME',
      'console.log(1)',
      'performance.now()',
    ];
    for (const c of calls) {
      expect(coreBannedCallViolations({ 'packages/core/src/engine/x.ts': c }), c).toHaveLength(1);
      // The same call outside the core is no business of this rule.
      expect(coreBannedCallViolations({ 'packages/data/src/x.ts': c }), c).toEqual([]);
    }
    const commented =
      '// Date.now() would read the clock\n/* fetch(url) */\nexport const seconds = (ms: number) => ms / 1000;';
    expect(coreBannedCallViolations({ 'packages/core/src/domain/x.ts': commented })).toEqual([]);
  });

  it('dashboard: a value import of a workspace package, a URL off the API, a computed fetch elsewhere', () => {
    const bad: SourceTree = {
      'apps/web/src/a.ts': "import { computeSignal } from '@vixshield/app';",
      'apps/web/src/b.ts': "const r = await fetch('https://example.com/data.json');",
      'apps/web/src/c.ts': 'function load(u: string) { return fetch(u); }',
      'apps/web/src/d.ts': "const ws = new WebSocket('ws://x');",
      'apps/web/src/e.ts': "const x = await api<number>('/internal/x');",
    };
    expect(webViolations(bad)).toHaveLength(5);
    const ok: SourceTree = {
      'apps/web/src/ok.ts':
        "import type { DailySignal } from '@vixshield/core';\nimport { type A, type B } from '@vixshield/app';\nasync function api<T>(path: string): Promise<T> { return (await fetch(path)).json(); }\nawait api<DailySignal>(`/api/signal?x=1`);",
    };
    expect(webViolations(ok)).toEqual([]);
    expect(packageGraphViolations(ok)).toEqual([]);
  });

  it('reads type-only imports as type-only, and a mixed import as a value import', () => {
    const i = importsOf(
      'x.ts',
      "import type { A } from 'a';\nimport { type B, C } from 'b';\nimport { type D } from 'd';\nimport 'e';",
    );
    expect(i.map((x) => [x.spec, x.typeOnly])).toEqual([
      ['a', true],
      ['b', false],
      ['d', true],
      ['e', false],
    ]);
  });
});

describe('the repository follows the architecture', () => {
  it('has sources in every package of the graph', () => {
    for (const p of PACKAGE_GRAPH)
      expect(Object.keys(tree).filter((f) => f.startsWith(`${p.dir}/`)).length, p.dir).toBeGreaterThan(0);
  });

  it('workspace imports follow the package graph (imports point inward)', () => {
    expect(packageGraphViolations(tree)).toEqual([]);
  });

  it('every workspace package is in the graph and its package.json declares only allowed packages', () => {
    const root = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    const manifests = Object.fromEntries(
      root.workspaces.map((w) => [
        w,
        JSON.parse(readFileSync(resolve(REPO_ROOT, w, 'package.json'), 'utf8')),
      ]),
    );
    expect(manifestViolations(manifests)).toEqual([]);
    expect(root.workspaces.sort()).toEqual(PACKAGE_GRAPH.map((p) => p.dir).sort());
  });

  it('the core imports no Node built-in and only allow-listed third-party packages', () => {
    expect(coreThirdPartyViolations(tree)).toEqual([]);
  });

  it('core layers import inward and no package has folders in a cycle', () => {
    expect(folderViolations(tree)).toEqual([]);
  });

  it('the core makes no I/O, timer, clock, crypto, randomness, environment or logging call', () => {
    expect(coreBannedCallViolations(tree)).toEqual([]);
  });

  it('the dashboard talks only to the HTTP API', () => {
    expect(webViolations(tree)).toEqual([]);
  });
});
