// Turnaround benchmark: an nREPL eval of a defn, through the browser's ack, to
// "done". The wasm backend, the C backend through clang and wasm-ld, and the C
// backend through emcc, side by side with JVM Clojure's own nREPL, evals
// alternating, cold (a new body each time) and cached (the same source again).
//   node bench/turnaround.mjs [runs]
import { launchChromium } from '../tests/lib/browser.mjs';
import { startClojureNrepl, startJankServer } from './nrepl-servers.mjs';

const runs = Number(process.argv[2] ?? 30);

async function startServer(httpPort, flags, compiler) {
  return { ...(await startJankServer(httpPort, flags)), httpPort, compiler };
}

let nextId = 0;
function evalTimed(connection, code) {
  const id = `b${++nextId}`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let failed = null;
    const onData = (reply) => {
      if (reply.id !== id) return;
      if (reply.err) failed = reply.err;
      if ((reply.status ?? []).includes('done')) {
        connection.messageStream.removeListener('data', onData);
        if (failed) reject(new Error(failed));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      }
    };
    connection.messageStream.on('data', onData);
    connection.send({ op: 'eval', code, id });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];

async function startClojure(port) {
  return { ...(await startClojureNrepl(port)), compiler: 'clojure-jvm (baseline)' };
}

// Each server runs alone: started, measured with only its own page open, and
// stopped before the next starts (a JVM still compiling its own start-up, or
// three animating pages on two cores, would measure each other).
const specs = [
  // Not reported: whatever runs first pays for the just-launched browser
  // settling (measured: 1 to 2 ms on every median).
  () => startServer(7955, ['--backend', 'wasm'], 'settling (not reported)'),
  () => startServer(7951, ['--backend', 'wasm'], 'wasm backend'),
  () => startServer(7952, ['--backend', 'c', '--compiler', 'fast'], 'C backend, clang + wasm-ld'),
  () => startServer(7954, ['--backend', 'c', '--compiler', 'emcc'], 'C backend, emcc'),
  () => startClojure(7953),
];
const browser = await launchChromium();
const results = {};
// Enough rounds for a just-launched browser and server to settle.
const warmup = 15;
for (const start of specs) {
  const s = await start();
  results[s.compiler] = { cold: [], cached: [] };
  let page = null;
  if (s.httpPort) {
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${s.httpPort}/`);
    await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 60000 });
  }
  for (let i = 0; i < runs + warmup; i++) {
    const cold = await evalTimed(s.connection, `(defn ggg [v] (+ v ${1000 + i}))`);
    const cached = await evalTimed(s.connection, '(defn ggg [v] (+ v 1))');
    if (i >= warmup) {
      results[s.compiler].cold.push(cold);
      results[s.compiler].cached.push(cached);
    }
  }
  await page?.close();
  s.connection.end();
  s.server.kill();
}
console.log(`| pipeline | runs | cold median ms | cold p95 ms | cached median ms | cached p95 ms |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
for (const [compiler, r] of Object.entries(results)) {
  if (compiler.startsWith('settling')) continue;
  console.log(`| ${compiler} | ${runs} | ${median(r.cold).toFixed(1)} | ${p95(r.cold).toFixed(1)} | ${median(r.cached).toFixed(1)} | ${p95(r.cached).toFixed(1)} |`);
}
await browser.close();
