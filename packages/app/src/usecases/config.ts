import { readFileSync } from 'node:fs';
import {
  AS_SENTENCE,
  InvalidInputError,
  PRESET_NAMES,
  type PresetName,
  resolveConfig,
  type StrategyConfig,
} from '@vixshield/core';
import { parse as parseYaml } from 'yaml';

export function presetOption(value: string | undefined): PresetName {
  const p = value ?? 'vixshield';
  if (!(PRESET_NAMES as readonly string[]).includes(p)) {
    throw new InvalidInputError(
      `unknown preset '${p}': use one of ${PRESET_NAMES.join(', ')}`,
      'preset',
      `use one of ${PRESET_NAMES.join(', ')}`,
      AS_SENTENCE,
    );
  }
  return p as PresetName;
}

/** Reads a JSON or YAML strategy file (partial: anything left out takes the preset's value). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError(
      `cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'config',
      'check the path and its permissions',
      AS_SENTENCE,
    );
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InvalidInputError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      'config',
      'fix the syntax at the position named',
      AS_SENTENCE,
    );
  }
}

/** Preset plus optional file overrides, validated; a bad field names its path and the expected form. */
export function loadStrategyConfig(preset: PresetName, file?: string): StrategyConfig {
  const overrides = file ? readConfigFile(file) : {};
  // The same validation as the HTTP API (core's resolveConfig): a StrategyConfigError (an invalid
  // input) names every problem with its path and allowed range; it goes to the edge as it is.
  return resolveConfig(preset, overrides ?? {}, file ?? 'config');
}
