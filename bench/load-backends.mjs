// Patch load time in Chromium per jank backend: the same programs evaluated
// from the demo page (client.eval), against a server with --backend wasm and
// one with --backend c, alternating; the figure is the page's own load_ms
// (FS write, compile, dlopen, rebind), as the ack reports it.
//   node bench/load-backends.mjs [runs]
import { launchChromium } from '../tests/lib/browser.mjs';
import { startServer } from '../tests/lib/server.mjs';

const runs = Number(process.argv[2] ?? 20);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const program = (functions, nonce) => Array.from({ length: functions }, (_, i) => `(defn f${i} [v] (+ v ${i + nonce * 1000}))`).join('\n');

const backends = ['wasm', 'c'];
const servers = {};
for (const [i, backend] of backends.entries()) {
  const port = 7971 + 2 * i + 1;
  ({ server: servers[backend] } = await startServer(['--port', String(port), '--www', 'www', '--no-nrepl', '--log-level', 'error', '--backend', backend]));
  servers[backend].port = port;
}
const browser = await launchChromium();
const pages = {};
for (const backend of backends) {
  pages[backend] = await browser.newPage();
  await pages[backend].goto(`http://127.0.0.1:${servers[backend].port}/?gc=off`);
  await pages[backend].waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 60000 });
}
console.log('| functions | runs | wasm backend: load median ms | C backend: load median ms |\n|---:|---:|---:|---:|');
let nonce = 0;
for (const functions of [1, 10, 100]) {
  const loads = { wasm: [], c: [] };
  for (let r = 0; r <= runs; r++) {
    for (const backend of backends) {
      nonce += 1;
      const result = await pages[backend].evaluate((code) => window.jankClient.eval(code), program(functions, nonce));
      if (!result.ok) throw new Error(`${backend}: ${result.error.message}`);
      if (r > 0) loads[backend].push(result.timings.load_ms);
    }
  }
  console.log(`| ${functions} | ${runs} | ${median(loads.wasm).toFixed(2)} | ${median(loads.c).toFixed(2)} |`);
}
await browser.close();
for (const s of Object.values(servers)) s.kill();
