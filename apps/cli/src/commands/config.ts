import { loadStrategyConfig, presetOption } from '@vixshield/app';
import { DEFAULT_SOURCES, PRESETS, type PresetName, resolveConfig } from '@vixshield/core';
import type { Command } from 'commander';

interface Row {
  path: string;
  value: unknown;
  source: string;
}

function flatten(value: unknown, path: string, out: Array<{ path: string; value: unknown }>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.push({ path, value });
}

/** Where each resolved value comes from: the user file, the preset, or the default and its source. */
export function explainConfig(
  preset: PresetName,
  file?: string,
): { preset: PresetName; config: unknown; rows: Row[] } {
  const config = loadStrategyConfig(preset, file);
  const defaults = resolveConfig('vixshield');
  const presetOnly = resolveConfig(preset);
  const flat: Array<{ path: string; value: unknown }> = [];
  flatten(config, '', flat);
  const lookup = (obj: unknown, path: string) =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);
  const rows = flat.map(({ path, value }) => {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    let source: string;
    if (!same(value, lookup(presetOnly, path))) source = `config file ${file}`;
    else if (!same(value, lookup(defaults, path))) source = `preset ${preset}`;
    else {
      const key = Object.keys(DEFAULT_SOURCES).find((k) => path === k || path.startsWith(`${k}.`));
      source = key ? `default: ${DEFAULT_SOURCES[key]}` : 'default';
    }
    return { path, value, source };
  });
  return { preset, config, rows };
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('strategy configuration');
  config
    .command('show')
    .description('print the resolved configuration with the source of each value')
    .option('--preset <name>', `one of ${Object.keys(PRESETS).join(', ')}`, 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--json', 'machine-readable output')
    .action((opts: { preset?: string; config?: string; json?: boolean }) => {
      const preset = presetOption(opts.preset);
      const out = explainConfig(preset, opts.config);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ preset, description: PRESETS[preset].description, config: out.config, sources: Object.fromEntries(out.rows.map((r) => [r.path, r.source])) }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(`preset ${preset}: ${PRESETS[preset].description}\n\n`);
      const w = Math.max(...out.rows.map((r) => r.path.length));
      for (const r of out.rows) {
        process.stdout.write(`${r.path.padEnd(w)}  ${JSON.stringify(r.value).padEnd(22)}  ${r.source}\n`);
      }
    });
}
