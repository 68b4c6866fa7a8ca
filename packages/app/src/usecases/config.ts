import { readFileSync } from 'node:fs';
import {
  PRESET_NAMES,
  type PresetName,
  resolveConfig,
  type StrategyConfig,
  StrategyConfigError,
} from '@vixshield/core';
import { UsageError as CliError } from '@vixshield/data';
import { parse as parseYaml } from 'yaml';

export function presetOption(value: string | undefined): PresetName {
  const p = value ?? 'vixshield';
  if (!(PRESET_NAMES as readonly string[]).includes(p)) {
    throw new CliError(`unknown preset '${p}': use one of ${PRESET_NAMES.join(', ')}`);
  }
  return p as PresetName;
}

/** Reads a JSON or YAML strategy file (partial: anything left out takes the preset's value). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
}

/** Preset plus optional file overrides, validated; a bad field names its path and the expected form. */
export function loadStrategyConfig(preset: PresetName, file?: string): StrategyConfig {
  const overrides = file ? readConfigFile(file) : {};
  try {
    return resolveConfig(preset, overrides ?? {}, file ?? 'config');
  } catch (err) {
    // The same validation as the HTTP API (core's resolveConfig): every problem with its path and range.
    if (err instanceof StrategyConfigError) throw new CliError(err.message);
    throw err;
  }
}
