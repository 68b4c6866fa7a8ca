import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded option-chain payloads (README.md there says where each came from). */
export const FIX = fileURLToPath(new URL('../fixtures/providers/', import.meta.url));
export const fixture = (p: string): string => readFileSync(join(FIX, p), 'utf8');
