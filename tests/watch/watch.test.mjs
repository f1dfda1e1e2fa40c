// --watch: saving a .jank file reloads only the forms that changed, a burst of
// saves is one reload, and errors reach the page's HUD with file, line, column.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const port = 7941;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-watch-'));
const file = path.join(dir, 'app.jank');
const program = (ggg) => `(ns user)\n(defn ggg [v]\n  ${ggg})\n(defn other [] :other)\n`;
let server;
let browser;
let page;

before(async () => {
  fs.writeFileSync(file, program('(+ v 49)'));
  ({ server } = await startServer(
    ['--port', String(port), '--www', 'www', '--no-nrepl', '--watch', dir, '--watch-debounce-ms', '150', '--log-level', 'warn']));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
  // The demo app loads last; start once it has.
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  await page.evaluate(() => {
    window.loads = [];
    addEventListener('jank-hot-reload:before-load', (e) => window.loads.push(e.detail.vars.map((v) => v.name)));
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const value = () => page.textContent('#value');
const waitForValue = (v) => page.waitForFunction((want) => document.getElementById('value').textContent === want, v, { timeout: 15000 });

it('saving recompiles only the top-level forms that changed', async () => {
  fs.writeFileSync(file, program('(* v 7)'));
  await waitForValue('70');
  const loads = await page.evaluate(() => window.loads);
  assert.deepEqual(loads, [['user/ggg']], `only ggg was sent: ${JSON.stringify(loads)}`);
});

it('a burst of saves is debounced into one reload', async () => {
  const before = await page.evaluate(() => window.loads.length);
  for (let i = 1; i <= 5; i++) {
    fs.writeFileSync(file, program(`(+ v ${i * 1000})`));
    await new Promise((r) => setTimeout(r, 20));
  }
  await waitForValue('5010');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.evaluate(() => window.loads.length), before + 1);
});

it('an error reaches the HUD with the file, line and column, and the old code keeps running', async () => {
  fs.writeFileSync(file, program('(+ v missing)'));
  await page.waitForFunction(() => {
    const root = document.getElementById('jank-hot-reload-hud').shadowRoot;
    return !root.querySelector('.overlay').hidden;
  }, null, { timeout: 15000 });
  const [title, where] = await page.evaluate(() => {
    const root = document.getElementById('jank-hot-reload-hud').shadowRoot;
    return [root.querySelector('.title').textContent, root.querySelector('.where').textContent];
  });
  assert.match(title, /analyze error: Unable to resolve symbol: missing/);
  assert.equal(where, `${file}:3:8`);
  assert.equal(await value(), '5010');

  fs.writeFileSync(file, program('(- v 1)'));
  await waitForValue('9');
});

it('redefining a macro in one file recompiles the forms that use it in another', async () => {
  const macros = path.join(dir, 'macros.jank');
  fs.writeFileSync(macros, '(ns user)\n(defmacro offset [] 100)\n');
  await new Promise((r) => setTimeout(r, 600));
  fs.writeFileSync(file, program('(+ v (offset))'));
  await waitForValue('110');
  await page.evaluate(() => { window.loads = []; });
  fs.writeFileSync(macros, '(ns user)\n(defmacro offset [] 200)\n');
  await waitForValue('210');
  const loads = await page.evaluate(() => window.loads);
  assert.ok(loads.some((vars) => vars.includes('user/ggg')), `ggg was recompiled: ${JSON.stringify(loads)}`);
  assert.ok(!loads.some((vars) => vars.includes('user/other')), `other was left alone: ${JSON.stringify(loads)}`);
});

it('a page that connects after files changed gets the current definitions, and only it', async () => {
  // No page is open while the file changes.
  await page.close();
  await new Promise((r) => setTimeout(r, 300));
  fs.writeFileSync(file, program('(+ v (offset))').replace('(defn other [] :other)', '(defn other [] :changed-while-no-page-was-open)'));
  await new Promise((r) => setTimeout(r, 800));
  const other = (p) => p.evaluate(() => {
    const ptr = window.jankModule?.ccall('jank_hot_reload_run_var', 'number', ['string'], ['user/other']);
    if (!ptr) return null;
    const r = JSON.parse(window.jankModule.UTF8ToString(ptr));
    window.jankModule._free(ptr);
    return r.ok ? r.value : r.error;
  });
  const openCaughtUp = async () => {
    const p = await browser.newPage();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.waitForFunction(() => window.jankModule !== undefined, null, { timeout: 30000 });
    let seen;
    for (let i = 0; i < 100 && seen !== ':changed-while-no-page-was-open'; i++) {
      seen = await other(p);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(seen, ':changed-while-no-page-was-open');
    return p;
  };
  const first = await openCaughtUp();
  await first.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  await first.evaluate(() => {
    window.loads = [];
    addEventListener('jank-hot-reload:before-load', (e) => window.loads.push(e.detail.vars.map((v) => v.name)));
  });
  const second = await openCaughtUp();
  await new Promise((r) => setTimeout(r, 300));
  const firstLoads = await first.evaluate(() => window.loads);
  assert.ok(!firstLoads.some((vars) => vars.includes('user/other')),
    `the catch-up went to the new page alone: ${JSON.stringify(firstLoads)}`);
  page = second;
  await first.close();
});
