// The demo page as a person uses it: served by the real server, in headless
// Chromium (playwright-core driving Debian's chromium), patched from the page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const port = 7921;
let server;
let browser;

before(async () => {
  ({ server } = await startServer(['--port', String(port), '--www', 'www', '--log-level', 'warn', '--no-nrepl']));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const hud = (page, selector, read) => page.evaluate(([s, r]) => {
  const el = document.getElementById('jank-hot-reload-hud').shadowRoot.querySelector(s);
  return r === 'hidden' ? el.hidden : el.getAttribute(r) ?? el.textContent;
}, [selector, read]);

test('the demo page loads with a clean console: no errors, no failed requests', async () => {
  const page = await browser.newPage();
  const red = [];
  page.on('console', (m) => { if (m.type() === 'error') red.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => red.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => red.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) red.push(`${r.status()}: ${r.url()}`); });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.demoState?.t > 30, null, { timeout: 30000 });
  assert.deepEqual(red, []);
});

test('the demo page hot-reloads a function and shows compile errors without losing it', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
  assert.equal(await hud(page, '.badge', 'data-status'), 'connected');

  await page.fill('#code', '(defn ggg [v] (* v 100))');
  await page.click('#eval');
  await page.waitForFunction(() => document.getElementById('value').textContent === '1000', null, { timeout: 30000 });

  await page.fill('#code', '(defn ggg [v]\n  (+ v oops))');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.getElementById('result').textContent.includes('analyze error'), null, { timeout: 30000 });
  assert.equal(await hud(page, '.overlay', 'hidden'), false);
  assert.match(await hud(page, '.title', 'text'), /analyze error: Unable to resolve symbol: oops/);
  assert.equal(await hud(page, '.where', 'text'), 'line 2, column 8');
  assert.equal(await page.textContent('#value'), '1000', 'the earlier definition still runs');
  await page.keyboard.press('Escape');
  assert.equal(await hud(page, '.overlay', 'hidden'), true);
});

test('the demo animation is jank code: redefining it changes the next frames and keeps the state', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.demoState?.balls === 12 && window.demoState.t > 5, null, { timeout: 30000 });
  const before = await page.evaluate(() => ({ t: window.demoState.t, last: window.demoState.last }));
  assert.equal(before.last.length, 12);
  assert.ok(before.last.every(([, , r]) => r >= 8), 'radius is 8 and up');

  await page.fill('#code', '(ns demo) (defn ball-count [] 30) (defn radius [i] 5)');
  await page.click('#eval');
  await page.waitForFunction(() => window.demoState.balls === 30, null, { timeout: 30000 });
  const after = await page.evaluate(() => ({ t: window.demoState.t, last: window.demoState.last, balls: document.getElementById('balls').textContent }));
  assert.equal(after.balls, '30', 'the DOM shows the new count');
  assert.ok(after.last.every(([, , r]) => r === 5), 'every ball uses the new radius');
  assert.ok(after.t > before.t, `the animation kept its frame counter (${before.t} → ${after.t})`);

  // Pixels: the canvas is not blank where the first ball is drawn. Position
  // and pixel are read in one task, so no frame moves the ball in between.
  const { x, y, pixel } = await page.evaluate(() => {
    const [px, py] = window.demoState.last[0];
    const ctx = document.getElementById('stage').getContext('2d');
    return { x: px, y: py, pixel: Array.from(ctx.getImageData(20 + Math.round(px), 10 + Math.round(py), 1, 1).data) };
  });
  assert.ok(pixel[3] > 0, `a ball is drawn at (${x}, ${y}): ${pixel}`);
});

test('^:dev/before-load and ^:dev/after-load vars run around every patch, and a failing hook blocks nothing', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  // The page's own evals (demo.jank) are done once the animation runs.
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  const evaluate = (code) => page.evaluate((c) => window.jankClient.eval(c, { ns: 'user' }), code);

  const defined = await evaluate('(defonce reloads (atom 0)) (defn ^:dev/after-load count-reload [] (swap! reloads inc))');
  assert.ok(defined.ok, JSON.stringify(defined.error));
  assert.ok((await evaluate('(defn another [] 2)')).ok);
  const counted = await evaluate('@reloads');
  assert.equal(counted.value, '2', 'the hook ran after its own patch and the next one; the value is read before this one');

  const before = await evaluate('(defn ^:dev/before-load say-before [] (println "before!"))');
  assert.ok(before.ok);
  const next = await evaluate('(defn third [] 3)');
  assert.match(next.out ?? '', /before!/, 'a before-load hook runs ahead of the next patch, and its output reaches the editor');

  const bad = await evaluate('(defn ^:dev/after-load bad-hook [] (throw (ex-info "hook boom" {})))');
  assert.ok(bad.ok, 'the patch that defines a failing hook still loads');
  assert.match(bad.out ?? '', /after-load hook user\/bad-hook failed: hook boom/);
  const still = await evaluate('(defn ggg [v] (* v 3))');
  assert.ok(still.ok);
  await page.waitForFunction(() => document.getElementById('value').textContent === '30', null, { timeout: 30000 });
});

test('an eval that fails in the page that asked is reported there once: one event, one console line', async () => {
  const page = await browser.newPage();
  const logged = [];
  page.on('console', (m) => { if (m.type() === 'error' && m.text().includes('no-such-thing')) logged.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  await page.evaluate(() => {
    window.errorEvents = 0;
    window.addEventListener('jank-hot-reload:error', () => { window.errorEvents += 1; });
  });
  const result = await page.evaluate(() => window.jankClient.eval('(no-such-thing 1)'));
  assert.equal(result.ok, false);
  assert.equal(result.error.phase, 'analyze');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.errorEvents), 1);
  assert.equal(logged.length, 1, logged.join('\n'));
});
