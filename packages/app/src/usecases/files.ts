import { readFileSync } from 'node:fs';
import { UsageError as CliError } from '@vixshield/data';

/** Reads and parses a JSON file, with an error naming the file (and the position) when it is not JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON (${(err as Error).message}); check the file`);
  }
}
