// The client and the compiler against the jank fork's exact ABI (the fork
// profile of the reference runtime) in Chromium: what the fork loads works,
// what it cannot load is a compile error naming the form and what is missing,
// and a symbol its registry silently skips is an error, not a success.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { repoRoot, startServer } from '../lib/server.mjs';

const port = 7927;
let server;
let browser;
let root;

before(async () => {
  // The page and the built client and runtimes, served from a root of their own.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-profiles-'));
  fs.copyFileSync(path.join(repoRoot, 'tests/e2e/fixtures/profiles/page.html'), path.join(root, 'index.html'));
  fs.mkdirSync(path.join(root, 'generated'));
  for (const file of ['jank_hot_reload.js', 'jank_hot_reload_bg.wasm', 'jank_runtime.js', 'jank_runtime.wasm',
    'jank_runtime_fork.js', 'jank_runtime_fork.wasm']) {
    fs.copyFileSync(path.join(repoRoot, 'www/generated', file), path.join(root, 'generated', file));
  }
  ({ server } = await startServer(['--port', String(port), '--www', root, '--log-level', 'warn', '--no-nrepl']));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function openPage(runtime) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?runtime=${runtime}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
  return page;
}

const evaluate = (page, code, lang) => page.evaluate(async ([code, lang]) => {
  const r = await window.jankClient.eval(code, { ns: 'user', lang });
  return r.ok ? { value: r.value } : { phase: r.error.phase, message: r.error.message };
}, [code, lang]);

test('a fork page reports what it has, loads what it can and refuses the rest by name', async () => {
  const page = await openPage('jank_runtime_fork');
  const stats = await page.evaluate(() => window.jankClient.stats());
  assert.equal(stats.abi, 'entry-symbol');

  assert.deepEqual(await evaluate(page, '(defn ggg [v] (+ v 49)) (defn probe [] (ggg 10))'), { value: "#'user/probe" });
  assert.equal(await page.evaluate(() => window.callInt('user', 'probe')), 59);

  // What the fork has no helper for, the patch builds through clojure.core:
  // booleans, characters, quoted lists, map literals, closures, fn calls.
  assert.deepEqual(await evaluate(page, '(defn adder [n] (fn [x] (+ x n))) (defn twice [f x] (f (f x)))'), { value: "#'user/twice" });
  assert.deepEqual(await evaluate(page, '(defn closures [] (twice (adder 5) 10))'), { value: "#'user/closures" });
  assert.equal(await page.evaluate(() => window.callInt('user', 'closures')), 20);
  const printed = '[true false \\\\a (1 2 3 4 5 6 7) {:a 1, :b 2, :c 3} nil]';
  assert.deepEqual(await evaluate(page, `(defn literals [] (if (= (pr-str [true false \\a '(1 2 3 4 5 6 7) {:a 1 :b 2 :c 3} nil]) "${printed}") 1 0))`), { value: "#'user/literals" });
  assert.equal(await page.evaluate(() => window.callInt('user', 'literals')), 1);
  const wide = await evaluate(page, '(defn adder3 [n] (fn [a b c] (+ a b c n)))');
  assert.equal(wide.phase, 'compile');
  assert.match(wide.message, /\(defn adder3 \.\.\.\) makes a closure of 3 arguments.*wraps arities 0 to 3/);

  const expression = await evaluate(page, '(+ 1 2)');
  assert.equal(expression.phase, 'compile');
  assert.match(expression.message, /\(\+ 1 2\) is code to run.*jank_hot_reload_run_var/);

  const manyArgs = await evaluate(page, '(defn s [] (str 1 2 3 4 5 6))');
  assert.match(manyArgs.message, /6 arguments.*at most 5/);
  const multi = await evaluate(page, '(defn m ([] 0) ([x] x))');
  assert.match(multi.message, /2 arities/);

  // Nothing that failed touched what was loaded.
  assert.equal(await page.evaluate(() => window.callInt('user', 'probe')), 59);
  await page.close();
});

test('a symbol the fork registry silently skips makes the eval fail, naming it', async () => {
  const page = await openPage('jank_runtime_fork');
  const c = `#include <jank/patch.h>
static void *seven(void) { return jank_box_integer(7); }
static void *five(void *a, void *b, void *c, void *d, void *e) { return a; }
JANK_PATCH_SYMBOLS({ "user/seven", "0", (void *)seven }, { "user/five", "5", (void *)five })`;
  const result = await evaluate(page, c, 'c');
  assert.equal(result.phase, 'load');
  assert.match(result.message, /did not register it as sent: user\/five \(arity 5: the registry registers arities 0 to 4\)/);
  assert.doesNotMatch(result.message, /user\/seven/);
  assert.equal(await page.evaluate(() => window.callInt('user', 'seven')), 7, 'what did register is live');
  const hud = await page.evaluate(() => document.getElementById('jank-hot-reload-hud')?.shadowRoot?.textContent ?? '');
  assert.match(hud, /user\/five/);
  await page.close();
});

test('a C patch importing a helper the fork lacks is refused before it is sent', async () => {
  const page = await openPage('jank_runtime_fork');
  const c = `#include <jank/patch.h>
static void *l(void) { void *items[] = { jank_box_integer(1) }; return jank_make_list(1, items); }
JANK_PATCH_SYMBOLS({ "user/l", "0", (void *)l })`;
  const result = await evaluate(page, c, 'c');
  assert.equal(result.phase, 'compile');
  assert.match(result.message, /the patch imports jank_make_list, which a connected page's runtime does not export/);
  await page.close();
});

test('with a reference page and a fork page connected, code compiles for what both load', async () => {
  const reference = await openPage('jank_runtime');
  const fork = await openPage('jank_runtime_fork');
  const refused = await evaluate(reference, '(defn adder [n] (fn [a b c] (+ a b c n)))');
  assert.equal(refused.phase, 'compile', 'the fork page cannot load a closure of 3 arguments');
  assert.match(refused.message, /jank_make_closure/);
  await fork.close();
  // Once the fork page has gone, the same form compiles for the reference page.
  let compiled;
  for (let i = 0; i < 50; i++) {
    compiled = await evaluate(reference, '(defn adder [n] (fn [a b c] (+ a b c n)))');
    if (!compiled.message) break;
    await new Promise((r) => setTimeout(r, 200)); // the server has yet to see the page go
  }
  assert.deepEqual(compiled, { value: "#'user/adder" });
  assert.deepEqual(await evaluate(reference, '((adder 2) 10 10 20)'), { value: '42' });
  await reference.close();
});
