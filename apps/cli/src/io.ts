import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from './errors';

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
    throw new CliError(`${path} is not valid JSON (${(err as Error).message}); pass a JSON array of cases`);
  }
}

/**
 * Writes output all at once: to stdout, or to a temporary file renamed over the target, so a failure
 * never leaves a partial file behind.
 */
export function writeOutput(text: string, outputPath: string | undefined): void {
  if (outputPath === undefined) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  const tmp = join(dirname(outputPath), `.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, text.endsWith('\n') ? text : `${text}\n`);
  renameSync(tmp, outputPath);
}
