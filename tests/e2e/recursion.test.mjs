// Deep recursion in the page, in Chromium: a jank-level call costs two native
// frames (runtime/src/invoke.hpp), so non-tail recursion goes as deep as the
// counted limit (max_call_depth) allows; past it, every kind of recursion is
// a StackOverflowError the program can catch, never the browser's RangeError,
// and the page keeps working, its dynamic bindings undone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { repoRoot, startServer } from '../lib/server.mjs';

const port = 7931;
let server;
let browser;
let root;
let page;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-recursion-'));
  fs.copyFileSync(path.join(repoRoot, 'tests/e2e/fixtures/profiles/page.html'), path.join(root, 'index.html'));
  fs.mkdirSync(path.join(root, 'generated'));
  for (const file of ['jank_hot_reload.js', 'jank_hot_reload_bg.wasm', 'jank_runtime.js', 'jank_runtime.wasm']) {
    fs.copyFileSync(path.join(repoRoot, 'www/generated', file), path.join(root, 'generated', file));
  }
  ({ server } = await startServer(['--port', String(port), '--www', root, '--log-level', 'warn', '--no-nrepl']));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?runtime=jank_runtime`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const evaluate = (code) => page.evaluate(async (code) => {
  const r = await window.jankClient.eval(code, { ns: 'user' });
  return r.ok ? { value: r.value } : { message: r.error.message };
}, code);

const definitions = `
(defn deep [n] (if (zero? n) 0 (inc (deep (dec n)))))
(defn walk [acc xs] (if (seq xs) (let [x (first xs) z (str (* 2 x))] (conj (walk (conj acc z) (rest xs)) (count z))) acc))
(defn my-map [f xs] (when (seq xs) (cons (f (first xs)) (my-map f (rest xs)))))
(declare od?) (defn ev? [n] (if (zero? n) true (od? (dec n)))) (defn od? [n] (if (zero? n) false (ev? (dec n))))
(defn sum-tree [t] (if (vector? t) (reduce + (map sum-tree t)) t))
(defn tree-count [t] (if (map? t) (apply + 1 (map tree-count (vals t))) 0))
(def ^:dynamic *level* :top)`;

test('non-tail recursion goes 2,400 calls deep', async () => {
  assert.deepEqual(await evaluate(definitions), { value: '#\'user/*level*' });
  assert.deepEqual(await evaluate('(deep 2400)'), { value: '2400' });
  assert.deepEqual(await evaluate('(count (walk [] (range 2400)))'), { value: '4800' });
  assert.deepEqual(await evaluate('(count (my-map inc (range 2400)))'), { value: '2400' });
  assert.deepEqual(await evaluate('(ev? 2400)'), { value: 'true' });
  assert.deepEqual(await evaluate('(sum-tree (reduce (fn [t _] [t 1]) 1 (range 600)))'), { value: '601' });
});

test('past the limit every kind of recursion is a StackOverflowError a program can catch', async () => {
  for (const call of ['(deep 100000)', '(ev? 100000)', '(count (my-map inc (range 100000)))',
    '(sum-tree (reduce (fn [t _] [t 1]) 1 (range 100000)))', '(tree-count (reduce (fn [t _] {:c t}) {} (range 100000)))']) {
    const result = await evaluate(call);
    assert.match(result.message ?? '', /StackOverflowError: call depth exceeded/, `${call}: ${JSON.stringify(result)}`);
  }
  assert.deepEqual(await evaluate('(try (deep 100000) (catch StackOverflowError e :caught))'), { value: ':caught' });
});

test('after an overflow inside a binding, the page works and the binding is gone', async () => {
  const result = await evaluate('(binding [*level* :inner] (deep 100000))');
  assert.match(result.message ?? '', /StackOverflowError/);
  assert.deepEqual(await evaluate('[*level* (deep 10)]'), { value: '[:top 10]' });
  // Realizing lazy seqs nested 100,000 deep counts each lazy step as a call,
  // but each level also takes native frames: which limit comes first is
  // close in Chromium, and either is a StackOverflowError that leaves the
  // page working.
  const lazy = await evaluate('(binding [*level* :inner] (first (nth (iterate #(filter odd? (map inc %)) [1]) 100000)))');
  assert.match(lazy.message ?? '', /StackOverflowError: (call depth exceeded|the browser's stack ran out)/);
  assert.deepEqual(await evaluate('[*level* (deep 10)]'), { value: '[:top 10]' });
  // Printing a vector nested 100,000 deep is native recursion the runtime
  // does not count: the browser's stack runs out, and the client says so.
  const native = await evaluate('(binding [*level* :inner] (count (pr-str (reduce (fn [t _] [t]) 1 (range 100000)))))');
  assert.match(native.message ?? '', /StackOverflowError: the browser's stack ran out/);
  assert.deepEqual(await evaluate('[*level* (deep 10) (with-out-str (print :ok))]'), { value: '[:top 10 ":ok"]' });
});
