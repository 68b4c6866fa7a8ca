import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';

const dir = mkdtempSync(join(tmpdir(), 'vixshield-config-'));

describe('vixshield config validation (the same rules as the HTTP API)', () => {
  it('refuses a misspelt key with its path, the nearest key and exit code 2', () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'gate:\n  holdAbov: 22\n');
    const r = runCli(['config', 'show', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}: field "gate.holdAbov": unknown key under "gate"; did you mean "holdAbove"?`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses contradictory thresholds, naming both fields and the allowed range', () => {
    const file = join(dir, 'contradiction.json');
    writeFileSync(file, JSON.stringify({ gate: { holdAbove: 12 } }));
    const r = runCli(['signal', '--date', '2022-06-13', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('field "gate.holdAbove": 12 is below gate.allTiersBelow 15');
    expect(r.stderr).toContain('(allowed: >= 15)');
  });

  it('accepts a sound file and shows its values with their source', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'edr:\n  k: 1.2\n');
    const r = runCli(['config', 'show', '--config', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain('1.2');
  });
});
