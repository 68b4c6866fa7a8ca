import { createReadStream } from 'node:fs';

/** Why a file could not be read as a JSON array (the caller names the file). */
export class JsonArrayError extends Error {
  override readonly name = 'JsonArrayError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Yields each element of the top-level JSON array in `path` as text, reading the file in 1 MB chunks:
 * memory stays flat in the array's length, and each element is then parsed by the native JSON.parse.
 * Only what separates elements is scanned here (strings with their escapes, nesting depth, commas); the
 * elements' own syntax is JSON.parse's to check. A stream-json pipeline did the same at about a tenth
 * of the speed, which matters for million-case files.
 */
export async function* jsonArrayElements(path: string): AsyncGenerator<string> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let seenArray = false;
  let ended = false;
  let parts: Buffer[] = [];
  /** Start of the element being read in the current chunk; -1 = between elements. */
  let start = -1;
  let carried = false; // the element began in an earlier chunk
  let afterComma = false;
  let bomAt = 0;

  const take = (chunk: Buffer, end: number): string => {
    parts.push(chunk.subarray(start, end));
    const text = Buffer.concat(parts).toString('utf8').trimEnd();
    parts = [];
    start = -1;
    carried = false;
    return text;
  };

  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    if (carried) start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (ended) {
        if (!isSpace(c)) throw new JsonArrayError('unexpected text after the closing ]');
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (!seenArray) {
        if (bomAt < 3 && c === UTF8_BOM[bomAt]) {
          bomAt++;
          continue;
        }
        if (isSpace(c)) continue;
        if (c !== OPEN_BRACKET) throw new JsonArrayError('the top level is not an array');
        seenArray = true;
        depth = 1;
        continue;
      }
      if (depth === 1 && start === -1 && !isSpace(c)) {
        if (c === COMMA) throw new JsonArrayError('an empty element (two commas in a row)');
        if (c === CLOSE_BRACKET) {
          if (afterComma) throw new JsonArrayError('a trailing comma before the closing ]');
          ended = true;
          depth = 0;
          continue;
        }
        start = i;
        afterComma = false;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          if (c !== CLOSE_BRACKET) throw new JsonArrayError('a } closes the top-level array');
          yield take(chunk, i);
          ended = true;
        }
      } else if (c === COMMA && depth === 1) {
        yield take(chunk, i);
        afterComma = true;
      }
    }
    if (start >= 0) {
      parts.push(chunk.subarray(start));
      carried = true;
    }
  }
  if (!seenArray) throw new JsonArrayError('the file is empty');
  if (!ended) throw new JsonArrayError('the array is not closed (the file ends early)');
}
