// What an eval that prints costs: an nREPL eval of (dotimes [i n] (println i))
// through the demo page to "done", against JVM Clojure's own nREPL doing the
// same in the same run. The page echoes an eval's output to the console in one
// write and sends the editor at most 256 KiB of it.
//   node bench/output.mjs [runs]      (after bash scripts/build.sh release)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nrepl from 'nrepl-client';
import { launchChromium } from '../tests/lib/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const lines = [1000, 10000, 100000];

function connect(port) {
  const connection = nrepl.connect({ port, host: '127.0.0.1' });
  return new Promise((resolve) => connection.once('connect', () => resolve(connection)));
}

async function startServer(httpPort) {
  const server = spawn(path.join(root, 'target/release/jank-hot-reload'),
    ['--port', String(httpPort), '--www', 'www', '--nrepl-port', '0', '--nrepl-port-file', `/tmp/jhr-output-${httpPort}`,
      '--log-level', 'error', '--ack-timeout', '60'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (c) => {
      seen += c;
      const m = seen.match(/nREPL server started on port (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { server, connection: await connect(port) };
}

async function startClojure(port) {
  const cp = ['clojure', 'nrepl', 'spec.alpha', 'core.specs.alpha'].map((j) => `/usr/share/java/${j}.jar`).join(':');
  const server = spawn('java', ['-cp', cp, 'clojure.main', '-m', 'nrepl.cmdline', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (c) => String(c).includes('nREPL server started') && resolve());
    server.on('exit', (code) => reject(new Error(`clojure nREPL exited ${code}`)));
  });
  return { server, connection: await connect(port) };
}

let nextId = 0;
/** Milliseconds to "done", and the characters of output the editor got. */
function evalTimed(connection, code) {
  const id = `o${++nextId}`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let received = 0;
    const onData = (reply) => {
      if (reply.id !== id) return;
      if (reply.err) reject(new Error(reply.err));
      received += reply.out?.length ?? 0;
      if ((reply.status ?? []).includes('done')) {
        connection.messageStream.removeListener('data', onData);
        resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, received });
      }
    };
    connection.messageStream.on('data', onData);
    connection.send({ op: 'eval', code, id });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(connection) {
  const out = {};
  await evalTimed(connection, '(dotimes [i 10] (println i))');
  for (const n of lines) {
    const times = [];
    let received = 0;
    for (let i = 0; i < runs; i++) {
      const r = await evalTimed(connection, `(dotimes [i ${n}] (println i))`);
      times.push(r.ms);
      received = r.received;
    }
    out[n] = { ms: median(times), received };
  }
  return out;
}

const browser = await launchChromium();
const ours = await startServer(7961);
const page = await browser.newPage();
await page.goto('http://127.0.0.1:7961/');
await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 60000 });
const page_results = await measure(ours.connection);
await page.close();
ours.connection.end();
ours.server.kill();
await browser.close();

const jvm = await startClojure(7962);
const jvm_results = await measure(jvm.connection);
jvm.connection.end();
jvm.server.kill();

console.log(`| (dotimes [i n] (println i)), median of ${runs} | page (ms) | output the editor got | JVM nREPL (ms) | output the editor got |`);
console.log('|---|---:|---:|---:|---:|');
for (const n of lines) {
  console.log(`| n = ${n.toLocaleString('en')} | ${page_results[n].ms.toFixed(1)} | ${page_results[n].received.toLocaleString('en')} chars | ${jvm_results[n].ms.toFixed(1)} | ${jvm_results[n].received.toLocaleString('en')} chars |`);
}
process.exit(0);
