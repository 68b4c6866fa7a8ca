import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SURFACE_MODEL_VERSION } from '../../../packages/core/src/index';
import { runCli } from '../../../test/support/cli';

describe('vixshield --version', () => {
  it('prints the package version and the surface model version, exit 0', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(
        `vixshield ${version} (surface model ${SURFACE_MODEL_VERSION}, node ${process.version})`,
      );
    }
  });
});
