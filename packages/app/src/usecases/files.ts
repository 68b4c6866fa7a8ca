import { readFileSync } from 'node:fs';
import { AS_SENTENCE, InvalidInputError } from '@vixshield/core';

/** Reads and parses a JSON file, with an error naming the file (and the position) when it is not JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'file',
      'check the path and its permissions',
      AS_SENTENCE,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(
      `${path} is not valid JSON (${(err as Error).message}); check the file`,
      'file',
      'check the file',
      AS_SENTENCE,
    );
  }
}
