import { type ExplainedTerm, explainTerm, listTerms } from '@vixshield/app';
import type { Command } from 'commander';
import { optionError } from '../errors';

export function formatExplain(e: ExplainedTerm): string {
  const lines = [
    e.name,
    '',
    e.definition,
    '',
    `Rule as implemented: ${e.rule}`,
    `Modules: ${e.modules.join(', ')}`,
  ];
  if (e.aliases.length > 0) lines.push(`Also: ${e.aliases.join(', ')}`);
  if (e.params.length > 0) {
    lines.push('', 'Parameters (default preset vixshield; seed when different):');
    for (const p of e.params) {
      const seed = 'seed' in p ? `  [seed: ${JSON.stringify(p.seed)}]` : '';
      lines.push(`  ${p.path} = ${JSON.stringify(p.default)}${seed}${p.source ? `  -- ${p.source}` : ''}`);
    }
  }
  lines.push('', `Source: ${e.source}`);
  return `${lines.join('\n')}\n`;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('a methodology term: definition, the rule as implemented, its parameters and defaults')
    .argument('[term...]', 'e.g. ALVH, EDR, "VIX gate", rollback; omit to list every term')
    .option('--json', 'JSON output')
    .action((words: string[], opts: { json?: boolean }) => {
      if (words.length === 0) {
        const terms = listTerms();
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(terms, null, 2)}\n`
            : `${terms.map((t) => `${t.key.padEnd(28)} ${t.name}`).join('\n')}\n`,
        );
        return;
      }
      const term = words.join(' ');
      const r = explainTerm(term);
      if (r.kind === 'unknown') {
        throw optionError(
          `unknown term '${term}'${r.suggestions.length > 0 ? `; did you mean: ${r.suggestions.join(', ')}` : ''} (vixshield explain lists every term)`,
          'term',
        );
      }
      process.stdout.write(opts.json ? `${JSON.stringify(r.entry, null, 2)}\n` : formatExplain(r.entry));
    });
}
