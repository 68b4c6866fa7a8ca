import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '@vixshield/core';
import { optionError } from './errors';
import { JsonArrayError, jsonArrayElements } from './json-array-stream';

export { readJsonFile } from '@vixshield/app';

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

/**
 * Calls `onItem` for each element of the JSON array in `path`, reading the file as a stream (memory flat
 * in the array's length). A missing file, a syntax error or a top level that is not an array is a
 * InvalidInputError naming the file.
 */
export async function forEachArrayItem(
  path: string,
  onItem: (item: unknown, index: number) => void | Promise<void>,
): Promise<void> {
  let index = 0;
  try {
    for await (const text of jsonArrayElements(path)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw optionError(
          `${path} is not valid JSON (case ${index}: ${(err as Error).message}); check the file`,
          'input',
        );
      }
      await onItem(value, index++);
    }
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    if (err instanceof JsonArrayError) {
      if (/not an array/.test(err.message))
        throw optionError(`${path}: input must be a JSON array of option cases`, 'input');
      throw optionError(
        `${path} is not valid JSON (${err.message}, after ${index} cases); check the file`,
        'input',
      );
    }
    const e = err as NodeJS.ErrnoException;
    throw optionError(`cannot read ${path}: ${e.code ?? e.message}`, 'input');
  }
}

/**
 * Writes a JSON array one compact element per line as `body` emits them: to stdout with backpressure,
 * or to a temporary file renamed over `outputPath` at the end (a failure leaves no partial file).
 */
export async function writeJsonLinesArray(
  outputPath: string | undefined,
  body: (emit: (value: unknown) => Promise<void>) => Promise<void>,
): Promise<void> {
  const tmp =
    outputPath === undefined ? undefined : join(dirname(outputPath), `.${process.pid}.${Date.now()}.tmp`);
  const out = tmp === undefined ? process.stdout : createWriteStream(tmp);
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  let first = true;
  try {
    await write('[');
    await body(async (value) => {
      await write(`${first ? '\n' : ',\n'}${JSON.stringify(value)}`);
      first = false;
    });
    await write(first ? ']\n' : '\n]\n');
    if (tmp !== undefined && outputPath !== undefined) {
      const file = out as ReturnType<typeof createWriteStream>;
      file.end();
      await once(file, 'finish');
      renameSync(tmp, outputPath);
    }
  } catch (err) {
    if (tmp !== undefined) {
      (out as ReturnType<typeof createWriteStream>).destroy();
      rmSync(tmp, { force: true });
    }
    throw err;
  }
}
