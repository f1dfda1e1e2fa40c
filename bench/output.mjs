// What an eval that prints costs: an nREPL eval of (dotimes [i n] (println i))
// through the demo page to "done", against JVM Clojure's own nREPL doing the
// same in the same run. The page echoes an eval's output to the console in one
// write and sends the editor at most 256 KiB of it.
//   node bench/output.mjs [runs]      (after bash scripts/build.sh release)
import { launchChromium } from '../tests/lib/browser.mjs';
import { startClojureNrepl, startJankServer } from './nrepl-servers.mjs';

const runs = Number(process.argv[2] ?? 5);
const lines = [1000, 10000, 100000];

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
const ours = await startJankServer(7961, ['--ack-timeout', '60']);
const page = await browser.newPage();
await page.goto('http://127.0.0.1:7961/');
await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 60000 });
const page_results = await measure(ours.connection);
await page.close();
ours.connection.end();
ours.server.kill();
await browser.close();

const jvm = await startClojureNrepl(7962);
const jvm_results = await measure(jvm.connection);
jvm.connection.end();
jvm.server.kill();

console.log(`| (dotimes [i n] (println i)), median of ${runs} | page (ms) | output the editor got | JVM nREPL (ms) | output the editor got |`);
console.log('|---|---:|---:|---:|---:|');
for (const n of lines) {
  console.log(`| n = ${n.toLocaleString('en')} | ${page_results[n].ms.toFixed(1)} | ${page_results[n].received.toLocaleString('en')} chars | ${jvm_results[n].ms.toFixed(1)} | ${jvm_results[n].received.toLocaleString('en')} chars |`);
}
process.exit(0);
