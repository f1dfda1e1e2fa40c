// Starts the real dev server (target/debug/jank-hot-reload) for a Node test
// and resolves once it prints a line matching `ready` (its page URL by default).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Resolves to { server, match }: the child process and the ready line's match. */
export function startServer(args, { ready = /page:/ } = {}) {
  const server = spawn(path.join(repoRoot, 'target/debug/jank-hot-reload'), args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(ready);
      if (match) resolve({ server, match });
    });
    server.on('exit', (code, signal) => signal || reject(new Error(`the server exited with ${code}`)));
  });
}
