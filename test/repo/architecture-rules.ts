import { builtinModules } from 'node:module';
import { posix } from 'node:path';

/**
 * The architecture rules of docs/architecture.md as pure functions over an in-memory source tree
 * ({ 'packages/core/src/x.ts': 'text' }), so the test can run them on the repository and on small bad
 * examples (every rule must be able to fail).
 */

export type SourceTree = Readonly<Record<string, string>>;

/** The workspace packages: folder, npm name and the workspace packages it may import. */
export interface PackageRule {
  readonly dir: string;
  readonly name: string;
  readonly mayImport: readonly string[];
}

/** Imports point inward: a package may import only the packages listed here (see docs/architecture.md). */
export const PACKAGE_GRAPH: readonly PackageRule[] = [
  { dir: 'packages/core', name: 'core', mayImport: [] },
  { dir: 'packages/data', name: 'data', mayImport: ['core'] },
  { dir: 'packages/chains', name: 'chains', mayImport: ['core', 'data'] },
  { dir: 'packages/journal', name: 'journal', mayImport: ['core', 'data'] },
  { dir: 'packages/app', name: 'app', mayImport: ['core', 'data', 'chains'] },
  { dir: 'packages/research', name: 'research', mayImport: ['core', 'data', 'chains', 'app'] },
  { dir: 'apps/server', name: 'server', mayImport: ['core', 'data', 'chains', 'journal', 'app'] },
  {
    dir: 'apps/cli',
    name: 'cli',
    mayImport: ['core', 'data', 'chains', 'journal', 'app', 'research', 'server'],
  },
  // The dashboard talks to the HTTP API only: type-only imports of the API's shapes at most.
  { dir: 'apps/web', name: 'web', mayImport: [] },
];

/** Third-party packages the pure core may import (zod: the configuration schemas). */
export const CORE_THIRD_PARTY_ALLOWED: readonly string[] = ['zod'];

/** Rank of each core layer: a folder may import only folders of equal or lower rank. */
export const CORE_LAYER_RANK: Readonly<Record<string, number>> = {
  domain: 0,
  math: 0,
  calendar: 1,
  pricing: 2,
  market: 3,
  strategies: 4,
  execution: 4,
  portfolio: 5,
  engine: 5,
  backtest: 6,
  signals: 6,
  metrics: 6,
};

/** Calls the pure core must not make: I/O, timers, the clock, randomness, the environment, logs. */
export const CORE_BANNED: ReadonlyArray<{ readonly re: RegExp; readonly why: string }> = [
  { re: /\bfetch\s*\(/, why: 'network I/O (fetch)' },
  { re: /\bset(?:Timeout|Interval|Immediate)\s*\(/, why: 'timers' },
  { re: /\bcrypto\b/, why: 'crypto (hashing and ids belong to the adapters)' },
  { re: /\bDate\.now\s*\(/, why: 'the clock (Date.now)' },
  { re: /\bnew Date\s*\(\s*\)/, why: 'the clock (new Date())' },
  // Dates in core are the branded IsoDate of domain/dates.ts (civil arithmetic, no time zone): any
  // other use of Date brings the host's clock or zone back in.
  { re: /\bnew Date\s*\(\s*[^)\s]|\bDate\.(?:UTC|parse)\s*\(/, why: 'Date (use domain/dates.ts)' },
  { re: /\bperformance\.now\s*\(/, why: 'the clock (performance.now)' },
  { re: /\bMath\.random\s*\(/, why: 'unseeded randomness' },
  { re: /\bprocess\./, why: 'the process (environment, exit, argv)' },
  { re: /\bconsole\./, why: 'logging' },
  { re: /\brequire\s*\(/, why: 'CommonJS require' },
];

export interface ImportSpec {
  readonly file: string;
  readonly spec: string;
  /** `import type ...` or every named specifier marked `type`: erased at build time. */
  readonly typeOnly: boolean;
}

/** Source text without comments (string contents are kept; imports never contain comment marks). */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const builtins = new Set(builtinModules);

export function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtins.has(spec.split('/')[0] as string);
}

/** Every import/export-from/dynamic import of a file. */
export function importsOf(file: string, source: string): ImportSpec[] {
  const text = stripComments(source);
  const out: ImportSpec[] = [];
  const staticRe = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(staticRe)) {
    const clause = m[3] ?? '';
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const allNamedTypes =
      named !== null &&
      named[1]!
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .every((s) => s.startsWith('type '));
    out.push({ file, spec: m[4] as string, typeOnly: m[2] !== undefined || allNamedTypes });
  }
  for (const m of text.matchAll(/(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g))
    out.push({ file, spec: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ file, spec: m[1] as string, typeOnly: false });
  return out;
}

/** The npm package name of a bare specifier ('@scope/name/x' -> '@scope/name', 'a/b' -> 'a'). */
export function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

function packageRuleOf(file: string): PackageRule | undefined {
  return PACKAGE_GRAPH.find((p) => file.startsWith(`${p.dir}/`));
}

const isSource = (f: string) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts');

/** Rule 1: workspace imports follow PACKAGE_GRAPH; a relative import never leaves its package. */
export function packageGraphViolations(tree: SourceTree): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(tree)) {
    const rule = packageRuleOf(file);
    if (!rule || !isSource(file)) continue;
    for (const i of importsOf(file, text)) {
      if (i.spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file), i.spec));
        if (!target.startsWith(`${rule.dir}/`))
          out.push(`${file}: relative import '${i.spec}' leaves ${rule.dir} (import the package instead)`);
        continue;
      }
      if (!i.spec.startsWith('@vixshield/')) continue;
      const target = packageOf(i.spec).slice('@vixshield/'.length);
      if (rule.name === 'web' && i.typeOnly) continue; // erased: the dashboard may share the API's types
      if (!rule.mayImport.includes(target))
        out.push(
          `${file}: ${rule.name} may not import @vixshield/${target} (allowed: ${rule.mayImport.join(', ') || 'none'})`,
        );
    }
  }
  return out;
}

/** Rule 1b: a package.json declares only allowed workspace packages. */
export function manifestViolations(
  manifests: Readonly<Record<string, { dependencies?: Record<string, string> }>>,
): string[] {
  const out: string[] = [];
  for (const [dir, pkg] of Object.entries(manifests)) {
    const rule = PACKAGE_GRAPH.find((p) => p.dir === dir);
    if (!rule) {
      out.push(`${dir}: a workspace package missing from PACKAGE_GRAPH (add it and its allowed imports)`);
      continue;
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!dep.startsWith('@vixshield/')) continue;
      const target = dep.slice('@vixshield/'.length);
      if (!rule.mayImport.includes(target))
        out.push(`${dir}/package.json: depends on ${dep}, not allowed for ${rule.name}`);
    }
  }
  return out;
}

/** Rule 2: the core imports no Node built-in and only allow-listed third-party packages. */
export function coreThirdPartyViolations(tree: SourceTree): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(tree)) {
    if (!file.startsWith('packages/core/src/') || !isSource(file)) continue;
    for (const i of importsOf(file, text)) {
      if (i.spec.startsWith('.')) continue;
      if (isBuiltin(i.spec)) out.push(`${file}: imports the Node built-in '${i.spec}'`);
      else if (!CORE_THIRD_PARTY_ALLOWED.includes(packageOf(i.spec)))
        out.push(
          `${file}: imports '${i.spec}', not in the core's allow-list (${CORE_THIRD_PARTY_ALLOWED.join(', ')})`,
        );
    }
  }
  return out;
}

/** The top folder of a file under `srcDir` (undefined for files at its root, e.g. index.ts). */
function folderOf(srcDir: string, file: string): string | undefined {
  const rel = file.slice(srcDir.length + 1);
  return rel.includes('/') ? rel.split('/')[0] : undefined;
}

/** The graph folder -> folders it imports, over the files under `srcDir`. */
export function folderGraph(tree: SourceTree, srcDir: string): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const [file, text] of Object.entries(tree)) {
    if (!file.startsWith(`${srcDir}/`) || !isSource(file)) continue;
    const from = folderOf(srcDir, file);
    if (from === undefined) continue;
    if (!g.has(from)) g.set(from, new Set());
    for (const i of importsOf(file, text)) {
      if (!i.spec.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), i.spec));
      if (!target.startsWith(`${srcDir}/`)) continue;
      const to = folderOf(srcDir, target);
      if (to !== undefined && to !== from) g.get(from)!.add(to);
    }
  }
  return g;
}

/** Every cycle of a directed graph, as the list of its nodes (one per strongly connected component). */
export function cyclesOf(g: Map<string, Set<string>>): string[][] {
  // Tarjan's strongly connected components; a component of two or more nodes is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * Rule 3: core folders import only folders of equal or lower rank, and folders never form a cycle
 * (within the core that means: not even between folders of the same rank; in the other packages
 * between any of their folders).
 */
export function folderViolations(tree: SourceTree): string[] {
  const out: string[] = [];
  const core = 'packages/core/src';
  const g = folderGraph(tree, core);
  for (const [from, tos] of g) {
    const fromRank = CORE_LAYER_RANK[from];
    if (fromRank === undefined) {
      out.push(
        `${core}/${from}: a core folder without a rank (add it to CORE_LAYER_RANK and docs/architecture.md)`,
      );
      continue;
    }
    for (const to of tos) {
      const toRank = CORE_LAYER_RANK[to];
      if (toRank !== undefined && toRank > fromRank)
        out.push(
          `${core}/${from} (rank ${fromRank}) imports ${to} (rank ${toRank}): inner layers never import outer ones`,
        );
    }
  }
  for (const p of PACKAGE_GRAPH) {
    for (const c of cyclesOf(folderGraph(tree, `${p.dir}/src`)))
      out.push(`${p.dir}/src: folders import each other in a cycle: ${c.join(' <-> ')}`);
  }
  return out;
}

/** Rule 4: no banned call in the core. */
export function coreBannedCallViolations(tree: SourceTree): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(tree)) {
    if (!file.startsWith('packages/core/src/') || !isSource(file)) continue;
    const code = stripComments(text);
    for (const b of CORE_BANNED) if (b.re.test(code)) out.push(`${file}: ${b.why} (${b.re.source})`);
  }
  return out;
}

/**
 * Rule 5: the dashboard talks only to the HTTP API: no workspace package (type-only imports aside),
 * no Node built-in, and every URL it fetches is under /api/ on its own origin.
 */
export function webViolations(tree: SourceTree): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(tree)) {
    if (!file.startsWith('apps/web/src/') || !isSource(file)) continue;
    for (const i of importsOf(file, text)) {
      if (i.spec.startsWith('@vixshield/') && !i.typeOnly)
        out.push(
          `${file}: imports ${i.spec} (the dashboard may only fetch the HTTP API; type-only imports are fine)`,
        );
      if (isBuiltin(i.spec)) out.push(`${file}: imports the Node built-in '${i.spec}'`);
    }
    const code = stripComments(text);
    if (/\b(?:WebSocket|XMLHttpRequest|EventSource)\b/.test(code))
      out.push(`${file}: opens a channel other than the HTTP API (WebSocket, XMLHttpRequest, EventSource)`);
    // Every literal URL given to fetch or to the api() helper is under /api/ on the page's own origin.
    for (const m of code.matchAll(/\b(?:fetch|api)\s*(?:<[^()]*>)?\(\s*(['"`])([^'"`]*)/g)) {
      const url = m[2] as string;
      if (!url.startsWith('/api/')) out.push(`${file}: fetches '${url}', not the API (/api/...)`);
    }
    // A fetch of a computed URL only inside the api() helper (whose callers the line above checks).
    for (const m of code.matchAll(/\bfetch\s*\(\s*(?!['"`])/g)) {
      const before = code.slice(0, m.index);
      const fn = [...before.matchAll(/\bfunction\s+(\w+)/g)].at(-1)?.[1];
      if (fn !== 'api')
        out.push(`${file}: fetch of a computed URL outside the api() helper (in ${fn ?? 'top level'})`);
    }
  }
  return out;
}
