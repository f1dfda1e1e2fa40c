// The two nREPL servers the editor benches compare, each started and connected
// to: this project's (release build, on a fresh port) and JVM Clojure's own
// (Debian's clojure and libnrepl-clojure).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nrepl from 'nrepl-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function connect(port) {
  const connection = nrepl.connect({ port, host: '127.0.0.1' });
  await new Promise((r) => connection.once('connect', r));
  connection.setNoDelay(true);
  return connection;
}

/** jank-hot-reload serving www/ on httpPort, with `flags`; resolves to { server, connection }.
 * `stderr: 'pipe'` leaves its log (at `logLevel`) on server.stderr to read. */
export async function startJankServer(httpPort, flags = [], { logLevel = 'error', stderr = 'inherit' } = {}) {
  const server = spawn(path.join(root, 'target/release/jank-hot-reload'),
    ['--port', String(httpPort), '--www', process.env.WWW ?? 'www', '--nrepl-port', '0', '--nrepl-port-file', `/tmp/jhr-bench-${httpPort}`,
      ...flags, '--log-level', logLevel],
    { cwd: root, stdio: ['ignore', 'pipe', stderr] });
  const nreplPort = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (c) => {
      seen += c;
      const m = seen.match(/nREPL server started on port (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { server, connection: await connect(nreplPort) };
}

/** JVM Clojure's nREPL on `port`; resolves to { server, connection }. */
export async function startClojureNrepl(port) {
  const cp = ['clojure', 'nrepl', 'spec.alpha', 'core.specs.alpha'].map((j) => `/usr/share/java/${j}.jar`).join(':');
  const server = spawn('java', ['-cp', cp, 'clojure.main', '-m', 'nrepl.cmdline', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (c) => String(c).includes('nREPL server started') && resolve());
    server.on('exit', (code) => reject(new Error(`clojure nREPL exited ${code}`)));
  });
  return { server, connection: await connect(port) };
}
