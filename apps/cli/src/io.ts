import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
