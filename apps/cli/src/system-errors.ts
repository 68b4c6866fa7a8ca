/**
 * Errors the operating system raises (a port in use, a file that cannot be read or written) described
 * for a person: what failed, on what, and what to do. They are the environment's, not the user's input
 * or a bug, so they exit 1 without a stack trace.
 */
const FIXES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another program listens there: stop it or pass another --port',
  EADDRNOTAVAIL: 'this machine has no such address: pass another --host (e.g. 127.0.0.1)',
  EACCES: 'permission denied: choose a path or port you may use (ports below 1024 need privileges)',
  EPERM: 'not permitted: choose another path',
  ENOENT: 'no such file or directory: check the path',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'the path is a directory: name a file',
  EROFS: 'the file system is read-only: choose another path',
  ENOSPC: 'no space left on the device: free some space',
  EMFILE: 'too many open files: raise the limit (ulimit -n)',
};

export function describeSystemError(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; dest?: string };
  const code = e.code;
  if (!code || !(code in FIXES) || !e.syscall) return null;
  const target =
    e.syscall === 'listen' || e.syscall === 'bind'
      ? `${e.address ?? 'address'}${e.port !== undefined ? `:${e.port}` : ''}`
      : (e.path ?? e.dest ?? '');
  return `${e.syscall} ${target}: ${FIXES[code]} (${code})`;
}
