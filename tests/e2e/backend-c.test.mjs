// The C backend (clang and wasm-ld) stays alive: the demo page, served by a
// server started with --backend c, hot-reloads jank as it does by default.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const port = 7926;
let server;
let browser;

before(async () => {
  ({ server } = await startServer(['--port', String(port), '--www', 'www', '--log-level', 'warn', '--no-nrepl', '--backend', 'c']));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('with --backend c the demo page runs and reloads jank', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
  const evaluated = await page.evaluate(async () => {
    const r = await window.jankClient.eval('(defn ggg [v] (* v 7)) (let [f (fn [x] (try (ggg x) (finally nil)))] (f 6))');
    return r.ok ? r.value : r.error.message;
  });
  assert.equal(evaluated, '42');
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
});
