import { spawn } from 'node:child_process';
import { launchChromium } from '../tests/lib/browser.mjs';
import { compileAnswer } from '../tests/runtime/harness.mjs';
const n = Number(process.argv[2] ?? 600);
const patches = [];
for (let i = 0; i < n; i++) {
  const a = await compileAnswer(`(defn ggg [v] (+ v ${1000 + i}))`, { lang: 'jank', backend: 'wasm' });
  patches.push([Array.from(a.wasm), a.entry_symbol]);
}
const port = 7982;
const server = spawn('target/release/jank-hot-reload', ['--port', String(port), '--www', 'www', '--no-nrepl', '--log-level', 'error'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => server.stdout.on('data', (c) => { if (String(c).includes('websocket')) r(); }));
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/generated/jank_runtime.js`);
await page.setContent('<html><body></body></html>');
await page.addScriptTag({ url: `http://127.0.0.1:${port}/generated/jank_runtime.js` });
const times = await page.evaluate(async (patches) => {
  const M = await window.createJankRuntime({ locateFile: (p) => '/generated/' + p });
  M.FS.mkdir('/p');
  const t = [];
  for (let i = 0; i < patches.length; i++) {
    const [bytes, entry] = patches[i];
    const path = `/p/x${i}.wasm`;
    M.FS.writeFile(path, new Uint8Array(bytes));
    const s = performance.now();
    const rc = M.ccall('jank_hot_reload_load_patch', 'number', ['string', 'string'], [path, entry]);
    t.push(performance.now() - s);
    if (rc !== 0) throw new Error('load failed ' + i);
  }
  return t;
}, patches);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('chromium: first 50', med(times.slice(0, 50)).toFixed(2), 'ms; last 50', med(times.slice(-50)).toFixed(2), 'ms; all', med(times).toFixed(2));
await browser.close(); server.kill(); process.exit(0);
