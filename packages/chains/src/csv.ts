/**
 * Minimal CSV reading for vendor option files: strips a UTF-8 BOM, accepts CRLF or LF line endings
 * and a missing final newline, trims header names (HistoricalOptionData writes `" exchange"`), and
 * splits fields on commas with RFC 4180 double quotes (a quoted field may contain commas and `""`,
 * not line breaks).
 */

export interface CsvText {
  /** Trimmed, lower-cased header names. */
  readonly header: readonly string[];
  /** Header names as written (trimmed). */
  readonly headerRaw: readonly string[];
  /** Data lines without their line ending; `lines[i]` is file line i + 2. */
  readonly lines: readonly string[];
}

export function splitCsvText(text: string): CsvText {
  let t = text;
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  // A final newline leaves one empty last element: not a row.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const headerLine = lines.shift() ?? '';
  const headerRaw = splitCsvLine(headerLine).map((h) => h.trim());
  return { header: headerRaw.map((h) => h.toLowerCase()), headerRaw, lines };
}

/** Splits one CSV line into fields (quotes removed). */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < n) {
        const c = line[i]!;
        if (c === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += c;
        i++;
      }
      // Anything between the closing quote and the next comma is kept (lenient, like most readers).
      const next = line.indexOf(',', i);
      const tail = next < 0 ? line.slice(i) : line.slice(i, next);
      out.push(v + tail);
      if (next < 0) break;
      i = next + 1;
    } else {
      const next = line.indexOf(',', i);
      if (next < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, next));
      i = next + 1;
    }
  }
  return out;
}
