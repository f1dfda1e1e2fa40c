// require loads a namespace nobody has evaluated from the source path
// (--source-path, as Clojure's classpath), once, before the requiring code,
// in the real server and the demo page in headless Chromium; and it loads
// the libraries bundled with the compiler (clojure.zip) the same way.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const port = 7929;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-source-path-'));
const write = (file, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
let server;
let browser;
let page;

before(async () => {
  write('my/text_util.jank', '(ns my.text-util (:require [clojure.string :as str]))\n(def loads (atom 0))\n(swap! loads inc)\n(defn shout [s] (str (str/upper-case s) "!"))\n');
  write('my/app.cljc', '(ns my.app (:require [my.text-util :as t :refer [shout]]))\n(defn greet [who] (shout (str "hello " who)))\n');
  write('cycle/a.jank', "(ns cycle.a (:require [cycle.b]))\n");
  write('cycle/b.jank', "(ns cycle.b (:require [cycle.a]))\n");
  // A user's copy of a bundled library, which wins as the classpath's would.
  write('clojure/template.cljc', '(ns clojure.template)\n(def from-the-source-path :yes)\n');
  write('broken/lib.jank', '(ns broken.lib)\n\n(defn f [x]\n  (+ x undefined-here))\n');
  ({ server } = await startServer(['--port', String(port), '--www', 'www', '--log-level', 'error', '--no-nrepl', '--source-path', dir]));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const evaluate = (code) => page.evaluate((c) => window.jankClient.eval(c, { ns: 'user' }), code);

it('require loads a namespace and what it requires from the source path, .jank or .cljc', async () => {
  const r = await evaluate("(require '[my.app :as app]) (app/greet \"jank\")");
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(r.value, '"HELLO JANK!"');
});

it('a second require does not load the file again; :reload does', async () => {
  const again = await evaluate("(require 'my.text-util) @my.text-util/loads");
  assert.equal(again.value, '1');
  const reloaded = await evaluate("(require 'my.text-util :reload) @my.text-util/loads");
  assert.ok(reloaded.ok, JSON.stringify(reloaded.error));
  // The file's (def loads (atom 0)) ran again: a fresh atom, incremented once.
  assert.equal(reloaded.value, '1');
});

it('clojure.zip is bundled: required, compiled and loaded like any library', async () => {
  const r = await evaluate("(require '[clojure.zip :as z]) (-> (z/vector-zip [1 [2 3] 4]) z/down z/right z/down z/right (z/edit * 10) z/root)");
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(r.value, '[1 [2 30] 4]');
});

it("a library on the source path wins over the compiler's bundled one of that name", async () => {
  const r = await evaluate("(require 'clojure.template) clojure.template/from-the-source-path");
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(r.value, ':yes');
});

it('a namespace that is nowhere is an error that says where require looked', async () => {
  const r = await evaluate("(require '[no.such.lib :as n])");
  assert.equal(r.ok, false);
  assert.equal(r.error.phase, 'analyze');
  assert.match(r.error.message, /Could not locate no\.such\.lib: .*no no\/such\/lib\.jank or no\/such\/lib\.cljc on the source path/);
});

it('a cycle of requires is an error naming it', async () => {
  const r = await evaluate("(require 'cycle.a)");
  assert.equal(r.ok, false);
  assert.match(r.error.message, /Cyclic load dependency: cycle\.a -> cycle\.b -> cycle\.a/);
});

it('an error in a loaded file names the file, line and column, and the page keeps its definitions', async () => {
  const r = await evaluate("(require 'broken.lib)");
  assert.equal(r.ok, false);
  assert.match(r.error.message, /while loading broken\.lib \(.*broken\/lib\.jank:4:8\): Unable to resolve symbol: undefined-here/);
  const still = await evaluate('(my.app/greet "again")');
  assert.equal(still.value, '"HELLO AGAIN!"');
});

it('a page loaded afresh gets the library again when its code requires it', async () => {
  await page.reload();
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
  const r = await evaluate("(ns fresh.start (:require [my.app :as app])) (app/greet \"again\")");
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(r.value, '"HELLO AGAIN!"');
});
