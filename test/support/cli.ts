import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `vixshield` bin in a child process, as a user would after `npm ci`. */
export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): CliRun {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/vixshield.js'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    input: options.input,
    env: { ...process.env, ...options.env },
    timeout: 120_000,
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/**
 * Like runCli, without blocking the event loop: needed when the test process itself serves the
 * child (the loopback fixture server of the provider tests).
 */
export function runCliAsync(args: string[], options: { env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/vixshield.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
