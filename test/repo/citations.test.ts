import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

/**
 * Every methodology citation in the code resolves inside the repository: `M§n` to a section heading of
 * docs/methodology.md, `M§6 question k` to an item of its section 6, `R#` (and ranges `R10-R11`) to a rule
 * note, and `research §x.y "Term"` to a rule-notes sub-section and its entry. A citation without an entry
 * fails with the file and line that makes it.
 */

const DOC = 'docs/methodology.md';

interface Citation {
  readonly kind: 'section' | 'question' | 'rule' | 'research';
  /** Section number, question number, rule number or research sub-section ("2.1"). */
  readonly key: string;
  /** The term cited inside a research sub-section, e.g. "EDR". */
  readonly term?: string;
  /** file:line */
  readonly where: string;
  readonly text: string;
}

/**
 * The citations in one file. R-numbers are matched with word boundaries on both sides (so `VIX_R2`,
 * `fooR2` or `R2D2` are not citations); in the code they appear as `R23`, `(R8)`, `R14(a)`, `R25, R30`
 * and ranges `R10-R11` / `R15-R17`, which cite every number in between.
 */
function extractCitations(text: string, file: string): Citation[] {
  const out: Citation[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const add = (kind: Citation['kind'], key: string, m: string, term?: string) =>
      out.push(term === undefined ? { kind, key, where, text: m } : { kind, key, term, where, text: m });

    // M§n, and "M§6 question k" / "M§6, question k".
    for (const m of line.matchAll(/\bM§\s?(\d+)(?:,?\s+question\s+(\d+))?/g)) {
      add('section', m[1]!, m[0]);
      if (m[2] !== undefined) add('question', m[2], m[0]);
    }
    // docs/methodology.md §n (and §m ...), and "docs/methodology.md §6 question k".
    for (const m of line.matchAll(
      /docs\/methodology\.md\s+§(\d+)((?:\s*(?:,|and|\/)\s*§\d+)*)(?:\s+question\s+(\d+))?/g,
    )) {
      add('section', m[1]!, m[0]);
      for (const more of (m[2] ?? '').matchAll(/§(\d+)/g)) add('section', more[1]!, m[0]);
      if (m[3] !== undefined) add('question', m[3], m[0]);
    }
    // R# and R#-R# ranges.
    for (const m of line.matchAll(/\bR(\d+)\b(?:\s*[-–]\s*R(\d+)\b)?/g)) {
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) {
        add('rule', `${m[1]}>${m[2]}`, m[0]); // a backwards range never resolves
        continue;
      }
      for (let n = from; n <= to; n++) add('rule', String(n), m[0]);
    }
    // research §x.y, optionally with a quoted term.
    for (const m of line.matchAll(/\bresearch\s+§(\d+(?:\.\d+)?)(?:\s+"([^"]+)")?/g)) {
      add('research', m[1]!, m[0], m[2]);
    }
  });
  return out;
}

interface MethodologyIndex {
  readonly sections: ReadonlySet<string>;
  readonly questions: ReadonlySet<string>;
  readonly rules: ReadonlySet<string>;
  /** research sub-section -> the headings of the entries inside it */
  readonly research: ReadonlyMap<string, readonly string[]>;
  /** problems with the document itself (duplicate or mismatched entries, broken anchors) */
  readonly problems: readonly string[];
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function indexMethodology(doc: string): MethodologyIndex {
  const problems: string[] = [];
  const lines = doc.split('\n');
  const headings = lines
    .map((l) => /^(#{1,6}) (.*)$/.exec(l))
    .map((m) => (m ? { level: m[1]!.length, text: m[2]! } : null));

  const sections = new Set<string>();
  for (const h of headings) {
    const m = h && h.level === 2 ? /^(\d+)\. /.exec(h.text) : null;
    if (m) {
      if (sections.has(m[1]!)) problems.push(`section ${m[1]} has two headings`);
      sections.add(m[1]!);
    }
  }

  // The numbered list of section 6, up to the next heading.
  const questions = new Set<string>();
  const s6 = headings.findIndex((h) => h !== null && h.level === 2 && h.text.startsWith('6. '));
  if (s6 >= 0) {
    for (let i = s6 + 1; i < lines.length && headings[i] === null; i++) {
      const m = /^(\d+)\. /.exec(lines[i]!);
      if (m) questions.add(m[1]!);
    }
  }

  // Rule entries: `- <a id="rN"></a>**RN. ...`, only after the "Rule notes (R-numbers)" heading.
  const rules = new Set<string>();
  const notesStart = headings.findIndex(
    (h) => h !== null && h.level === 2 && h.text === 'Rule notes (R-numbers)',
  );
  if (notesStart < 0) problems.push('no "## Rule notes (R-numbers)" heading');
  lines.forEach((line, i) => {
    const m = /^- <a id="r(\d+)"><\/a>\*\*R(\d+)\. /.exec(line);
    if (!m) {
      if (/<a id="r\d+">/.test(line))
        problems.push(`line ${i + 1}: a rule anchor not in the form - <a id="rN"></a>**RN. ...`);
      return;
    }
    if (m[1] !== m[2]) problems.push(`line ${i + 1}: anchor r${m[1]} on the entry for R${m[2]}`);
    if (i < notesStart) problems.push(`line ${i + 1}: R${m[2]} is above the rule notes`);
    if (rules.has(m[2]!)) problems.push(`R${m[2]} has two entries`);
    rules.add(m[2]!);
  });

  // research §x.y: a `### research §x.y` heading (with an anchor `research-x.y` just above it) and the
  // `####` entry headings inside it.
  const research = new Map<string, string[]>();
  let current: string[] | null = null;
  headings.forEach((h, i) => {
    if (!h) return;
    if (h.level <= 3) current = null;
    const m = h.level === 3 ? /^research §(\d+(?:\.\d+)?) /.exec(h.text) : null;
    if (m) {
      if (research.has(m[1]!)) problems.push(`research §${m[1]} has two headings`);
      current = [];
      research.set(m[1]!, current);
      const above = lines.slice(Math.max(0, i - 2), i).join('\n');
      if (!above.includes(`<a id="research-${m[1]}"></a>`))
        problems.push(`research §${m[1]}: no <a id="research-${m[1]}"></a> anchor above its heading`);
    } else if (h.level === 4 && current) current.push(h.text);
  });

  // Every in-page link points at an anchor or a heading.
  const anchors = new Set<string>([
    ...[...doc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!),
    ...headings.filter((h) => h !== null).map((h) => slug(h.text)),
  ]);
  for (const m of doc.matchAll(/\]\(#([^)]+)\)/g)) {
    if (!anchors.has(m[1]!)) problems.push(`link #${m[1]} has no anchor or heading`);
  }

  return { sections, questions, rules, research, problems };
}

/** The citations that have no entry in the document, as readable lines. */
function unresolved(citations: readonly Citation[], idx: MethodologyIndex): string[] {
  const missing: string[] = [];
  for (const c of citations) {
    const ok =
      c.kind === 'section'
        ? idx.sections.has(c.key)
        : c.kind === 'question'
          ? idx.questions.has(c.key)
          : c.kind === 'rule'
            ? idx.rules.has(c.key)
            : idx.research.has(c.key) &&
              (c.term === undefined ||
                idx.research.get(c.key)!.some((h) => h === c.term || h.startsWith(`${c.term} `)));
    if (!ok) missing.push(`${c.where}: ${c.text} (${c.kind} ${c.key}${c.term ? ` "${c.term}"` : ''})`);
  }
  return missing;
}

const SOURCE_EXT = /\.(ts|tsx|js|mjs|cjs|jsx|vue|svelte|html|css|md)$/;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE_EXT.test(name)) out.push(p);
  }
}

/** Files under `<root>/*\/<sub>` for each workspace root (packages, apps). */
function workspaceFiles(sub: string): string[] {
  const out: string[] = [];
  for (const root of ['packages', 'apps']) {
    const base = resolve(REPO_ROOT, root);
    if (!existsSync(base)) continue;
    for (const ws of readdirSync(base)) {
      const dir = join(base, ws, sub);
      if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir, out);
    }
  }
  return out.sort();
}

function citationsIn(files: readonly string[]): Citation[] {
  return files.flatMap((f) => extractCitations(readFileSync(f, 'utf8'), relative(REPO_ROOT, f)));
}

const index = indexMethodology(readFileSync(resolve(REPO_ROOT, DOC), 'utf8'));

describe(`${DOC} is well formed`, () => {
  it('has sections 1 to 6, the ten study questions, rule notes R1 to R34 and the research sub-sections', () => {
    expect(index.problems).toEqual([]);
    expect([...index.sections].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(index.questions.size).toBe(10);
    for (let n = 1; n <= 34; n++) expect(index.rules.has(String(n)), `R${n}`).toBe(true);
    for (const s of ['0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2.1', '2.2']) {
      expect(index.research.has(s), `research §${s}`).toBe(true);
    }
  });
});

describe('every methodology citation in packages/*/src and apps/*/src resolves in docs/methodology.md', () => {
  const files = workspaceFiles('src');
  const citations = citationsIn(files);

  it('finds the citations (a collector that finds none would pass vacuously)', () => {
    const kinds = (k: Citation['kind']) => citations.filter((c) => c.kind === k).length;
    // Measured when this test was written: 189 citations in 168 files (103 sections, 4 questions,
    // 66 rules with ranges expanded, 16 research), 49 distinct.
    expect(citations.length).toBeGreaterThan(150);
    expect(kinds('section')).toBeGreaterThan(60);
    expect(kinds('rule')).toBeGreaterThan(50);
    expect(kinds('research')).toBeGreaterThan(10);
    expect(kinds('question')).toBeGreaterThan(0);
    const keys = new Set(citations.map((c) => `${c.kind} ${c.key}`));
    for (const k of ['section 1', 'section 4', 'rule 23', 'rule 16', 'research 2.1', 'research 1.5']) {
      expect(keys.has(k), k).toBe(true);
    }
  });

  it('each has an entry', () => {
    expect(unresolved(citations, index)).toEqual([]);
  });

  it('no source names a methodology document that is not in the repository', () => {
    const stale = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return /METHODOLOGY\.md|vixshield-methodology\.md/.test(text) ? [relative(REPO_ROOT, f)] : [];
    });
    expect(stale).toEqual([]);
  });
});

describe('the citations in tests, docs and README resolve too', () => {
  it('each has an entry', () => {
    const files = [...workspaceFiles('test'), resolve(REPO_ROOT, 'README.md')];
    walk(resolve(REPO_ROOT, 'docs'), files);
    const citations = citationsIn(files.filter((f) => relative(REPO_ROOT, f) !== DOC));
    expect(citations.length).toBeGreaterThan(20);
    expect(unresolved(citations, index)).toEqual([]);
  });
});

describe('the checker fails on a citation without an entry', () => {
  const doc = [
    '## 1. One',
    '## 6. Questions',
    '1. first',
    '## Rule notes (R-numbers)',
    '- <a id="r1"></a>**R1. A rule.** text',
    '- <a id="r2"></a>**R2. Another.** text',
    '<a id="research-2.1"></a>',
    '',
    '### research §2.1 — Terms',
    '#### EDR — Expected Daily Range',
    'See [R1](#r1).',
  ].join('\n');
  const idx = indexMethodology(doc);

  it('resolves what is there', () => {
    expect(idx.problems).toEqual([]);
    const ok = extractCitations(
      `// M§1, R1-R2, M§6 question 1\nconst s = 'docs/methodology.md §1 and §6; research §2.1 "EDR"';`,
      'a.ts',
    );
    expect(ok.length).toBe(8);
    expect(unresolved(ok, idx)).toEqual([]);
  });

  it('reports each kind of dangling citation with its file and line', () => {
    const bad = extractCitations(
      [
        '/** M§7 */',
        "const a = 'R3';",
        '// R1-R3',
        '// M§6 question 2',
        'const b = \'research §2.1 "RSAi"\';',
        "const c = 'research §1.5';",
        "const d = 'docs/methodology.md §2';",
      ].join('\n'),
      'b.ts',
    );
    expect(unresolved(bad, idx)).toEqual([
      'b.ts:1: M§7 (section 7)',
      'b.ts:2: R3 (rule 3)',
      'b.ts:3: R1-R3 (rule 3)',
      'b.ts:4: M§6 question 2 (question 2)',
      'b.ts:5: research §2.1 "RSAi" (research 2.1 "RSAi")',
      'b.ts:6: research §1.5 (research 1.5)',
      'b.ts:7: docs/methodology.md §2 (section 2)',
    ]);
  });

  it('does not take identifiers for rule numbers', () => {
    expect(extractCitations('const VIX_R2 = fooR3 + R2D2 + r4;', 'c.ts')).toEqual([]);
  });

  it('reports a broken link, a duplicate rule and a mismatched anchor in the document', () => {
    const broken = indexMethodology(
      `${doc}\n- <a id="r2"></a>**R2. Again.**\n- <a id="r5"></a>**R4. Wrong anchor.**\n[x](#r9)`,
    );
    expect(broken.problems).toEqual([
      'R2 has two entries',
      expect.stringContaining('anchor r5 on the entry for R4'),
      'link #r9 has no anchor or heading',
    ]);
  });
});
