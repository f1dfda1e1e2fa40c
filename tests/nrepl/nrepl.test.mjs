// The editor's path: a real nREPL client (npm nrepl-client) drives the server
// while headless Chromium runs the demo page with the reference runtime.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import nrepl from 'nrepl-client';
import { launchChromium } from '../lib/browser.mjs';
import { repoRoot, startServer } from '../lib/server.mjs';

const httpPort = 7931;
const portFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-nrepl-')), '.nrepl-port');
// A source path with a test namespace no eval has loaded (the test ops load it).
const sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-nrepl-src-'));
fs.mkdirSync(path.join(sourceDir, 'shop'));
fs.writeFileSync(path.join(sourceDir, 'shop', 'stock_test.jank'),
  '(ns shop.stock-test (:require [clojure.test :refer [deftest is]]))\n(deftest in-stock (is (= 2 (inc 1))))\n');
fs.writeFileSync(path.join(sourceDir, 'shop', 'catalog.jank'), '(ns shop.catalog)\n\n(defn price [item] 3)\n');
let server;
let browser;
let page;
let nreplPort;
let connection;

before(async () => {
  let match;
  ({ server, match } = await startServer(
    ['--port', String(httpPort), '--www', 'www', '--source-path', 'www', '--source-path', sourceDir,
      '--nrepl-port', '0', '--nrepl-port-file', portFile, '--log-level', 'warn', '--ack-timeout', '5'],
    { ready: /nREPL server started on port (\d+) on host 127\.0\.0\.1 - nrepl:\/\/127\.0\.0\.1:(\d+)/ }));
  nreplPort = Number(match[1]);
  browser = await launchChromium();
  connection = nrepl.connect({ port: nreplPort, host: '127.0.0.1' });
  await new Promise((resolve) => connection.once('connect', resolve));
});

after(async () => {
  connection?.end();
  await browser?.close();
  server?.kill();
});

async function openPage() {
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${httpPort}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
  // The demo app loads last; start once it has.
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
}

/** Sends one request; resolves to every reply up to the one whose status has "done". */
let nextId = 0;
function request(message) {
  const id = `t${++nextId}`;
  const replies = [];
  return new Promise((resolve, reject) => {
    const onData = (reply) => {
      if (reply.id !== id) return;
      replies.push(reply);
      if ((reply.status ?? []).includes('done')) {
        connection.messageStream.removeListener('data', onData);
        resolve(replies);
      }
    };
    connection.messageStream.on('data', onData);
    connection.send({ ...message, id });
    setTimeout(() => reject(new Error(`no "done" for ${JSON.stringify(message)}: ${JSON.stringify(replies)}`)), 20000);
  });
}

/** Sends one request; resolves to its replies up to "done" and the
 *  track-state message (status "state") sent with it. */
function requestWithState(message) {
  const id = `t${++nextId}`;
  const replies = [];
  let state = null;
  return new Promise((resolve, reject) => {
    const onData = (reply) => {
      if (reply.id !== id) return;
      if ((reply.status ?? []).includes('state')) state = reply;
      else replies.push(reply);
      if (state && statuses(replies).includes('done')) {
        connection.messageStream.removeListener('data', onData);
        resolve({ replies, state });
      }
    };
    connection.messageStream.on('data', onData);
    connection.send({ ...message, id });
    setTimeout(() => reject(new Error(`no "done" and state for ${JSON.stringify(message)}: ${JSON.stringify(replies)}`)), 20000);
  });
}

const field = (replies, key) => replies.map((r) => r[key]).filter((v) => v !== undefined);
const statuses = (replies) => replies.flatMap((r) => r.status ?? []);

let session;

describe('nREPL', () => {
  before(async () => {
    await openPage();
    const cloned = await request({ op: 'clone' });
    session = cloned[0]['new-session'];
    assert.ok(session, 'clone returns a new session');
  });

  it('writes .nrepl-port', () => {
    assert.equal(fs.readFileSync(portFile, 'utf8'), String(nreplPort));
  });

  it('removes .nrepl-port when the server stops', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-nrepl-')), '.nrepl-port');
    const { server: other } = await startServer(
      ['--port', '0', '--www', 'www', '--nrepl-port', '0', '--nrepl-port-file', file, '--log-level', 'warn'],
      { ready: /nREPL server started on port (\d+)/ },
    );
    assert.ok(fs.existsSync(file), 'written at start');
    const exited = new Promise((resolve) => other.on('exit', resolve));
    other.kill('SIGTERM');
    await exited;
    assert.equal(fs.existsSync(file), false, 'gone after SIGTERM');
  });

  it('describe lists the ops, versions and the server', async () => {
    const [reply] = await request({ op: 'describe', session });
    for (const op of ['clone', 'close', 'describe', 'eval', 'load-file', 'interrupt', 'ls-sessions', 'completions']) {
      assert.ok(op in reply.ops, `${op} is described`);
    }
    assert.equal(reply.versions.nrepl['version-string'], '1.0.0');
    assert.ok(reply.versions['jank-hot-reload']);
    assert.deepEqual(reply.status, ['done']);
  });

  it("the JVM forms editors send on connect get a benign answer, and no page's HUD shows an error", async () => {
    const setup = [
      '(clojure.core/apply clojure.core/require clojure.main/repl-requires)',
      "(when (clojure.core/resolve 'clojure.main/repl-requires)\n      (clojure.core/map clojure.core/require clojure.main/repl-requires))",
    ];
    for (const code of setup) {
      const replies = await request({ op: 'eval', code, session });
      assert.deepEqual(field(replies, 'value'), ['nil'], code);
      assert.deepEqual(field(replies, 'err'), [], code);
    }
    const ns = await request({ op: 'eval', code: '(str *ns*)', session });
    assert.deepEqual(field(ns, 'value'), ['"user"']);
    const overlayHidden = await page.evaluate(() => document.getElementById('jank-hot-reload-hud').shadowRoot.querySelector('.overlay').hidden);
    assert.equal(overlayHidden, true, 'no error reached the page');
  });

  it("Conjure's connect preamble evaluates without an error, leaves the session in its namespace, and its test report works", async () => {
    const code = fs.readFileSync(path.join(repoRoot, 'tests/nrepl/editors/conjure-preamble.clj'), 'utf8');
    const replies = await request({ op: 'eval', code, session });
    assert.deepEqual(field(replies, 'err'), [], 'no error');
    assert.deepEqual(field(replies, 'ex'), []);
    assert.equal(field(replies, 'ns').at(-1), 'user', 'back in the namespace it started in');
    const overlayHidden = await page.evaluate(() => document.getElementById('jank-hot-reload-hud').shadowRoot.querySelector('.overlay').hidden);
    assert.equal(overlayHidden, true, 'no error reached the page');
    // Conjure's runner: a failing test, reported by the :fail method the preamble installed.
    const test = await request({
      op: 'eval',
      session,
      code: "(ns conjure-check (:require [clojure.test :refer [deftest is]])) (deftest sums (is (= {:a 1} {:a 2}))) (clojure.test/run-tests 'conjure-check)",
    });
    const out = field(test, 'out').join('');
    assert.match(out, /FAIL in \(sums\)/);
    assert.match(out, /-  \{:a 1\}/, "Conjure's diff of expected and actual");
    assert.match(out, /Ran 1 tests containing 1 assertions\.\n1 failures, 0 errors\./);
    await request({ op: 'eval', code: "(in-ns 'user)", session });
  });

  it("Conjure's doc and source keys: (require 'clojure.repl), then clojure.repl/doc and source print, with no error", async () => {
    const required = await request({ op: 'eval', code: "(require 'clojure.repl)", session });
    assert.deepEqual(field(required, 'err'), []);
    const doc = await request({ op: 'eval', code: '(clojure.repl/doc map)', session });
    assert.match(field(doc, 'out').join(''), /^-------------------------\nclojure\.core\/map\n\(\[f\] \[f coll\]/);
    await request({ op: 'eval', code: '(defn sourced [x]\n  (inc x))', session });
    const source = await request({ op: 'eval', code: '(clojure.repl/source sourced)', session });
    assert.deepEqual(field(source, 'out'), ['(defn sourced [x]\n  (inc x))\n']);
    assert.deepEqual(field(source, 'err'), []);
  });

  it('(defn ggg [v] (+ v 50)) changes what the page computes, and returns the var', async () => {
    const replies = await request({ op: 'eval', code: '(defn ggg [v] (+ v 50))', session });
    assert.deepEqual(field(replies, 'value'), ["#'user/ggg"]);
    assert.deepEqual(field(replies, 'ns'), ['user']);
    await page.waitForFunction(() => document.getElementById('value').textContent === '60', null, { timeout: 10000 });
    assert.deepEqual(field(await request({ op: 'eval', code: '(ggg 10)', session }), 'value'), ['60']);
  });

  it("a var the page's own eval defines (code built while the page runs) resolves in the next eval", async () => {
    assert.deepEqual(field(await request({ op: 'eval', code: "(eval (list 'def 'built-at-run-time 5))", session }), 'value'),
      ["#'user/built-at-run-time"]);
    assert.deepEqual(field(await request({ op: 'eval', code: '(* 2 built-at-run-time)', session }), 'value'), ['10']);
    assert.deepEqual(field(await request({ op: 'eval', code: '(eval (read-string "(def read-at-run-time 7)"))', session }), 'value'),
      ["#'user/read-at-run-time"]);
    assert.deepEqual(field(await request({ op: 'eval', code: 'read-at-run-time', session }), 'value'), ['7']);
  });

  it('println comes back as out', async () => {
    const replies = await request({ op: 'eval', code: '(println "hi")', session });
    assert.deepEqual(field(replies, 'out'), ['hi\n']);
    assert.deepEqual(field(replies, 'value'), ['nil']);
  });

  it('macros: defmacro, macroexpand, and a redefinition names the vars holding the old expansion', async () => {
    const defined = await request({ op: 'eval', code: '(defmacro twice [x] `(* 2 ~x))', ns: 'user', session });
    assert.deepEqual(field(defined, 'value'), ["#'user/twice"]);
    assert.deepEqual(field(await request({ op: 'eval', code: "(macroexpand '(twice 4))", ns: 'user', session }), 'value'),
      ['(clojure.core/* 2 4)']);
    await request({ op: 'eval', code: '(defn uses-twice [] (twice 21))', ns: 'user', session });
    assert.deepEqual(field(await request({ op: 'eval', code: '(uses-twice)', ns: 'user', session }), 'value'), ['42']);
    const redefined = await request({ op: 'eval', code: '(defmacro twice [x] `(* 3 ~x))', ns: 'user', session });
    assert.match(field(redefined, 'out').join(''), /still hold its old expansion.*#'user\/uses-twice/);
    await request({ op: 'eval', code: '(defn uses-twice [] (twice 21))', ns: 'user', session });
    assert.deepEqual(field(await request({ op: 'eval', code: '(uses-twice)', ns: 'user', session }), 'value'), ['63']);
  });

  it('(ns foo) then a def lands in foo', async () => {
    assert.deepEqual(field(await request({ op: 'eval', code: '(ns foo)', session }), 'ns'), ['foo']);
    const replies = await request({ op: 'eval', code: '(def x 1)', session });
    assert.deepEqual(field(replies, 'value'), ["#'foo/x"]);
    assert.deepEqual(field(await request({ op: 'eval', code: '(inc x)', session }), 'value'), ['2']);
    assert.deepEqual(field(await request({ op: 'eval', code: '(inc x)', ns: 'user', session }), 'err').length, 1,
      'the eval ns field is honoured: x is not in user');
  });

  it('an eval of several forms answers each form in order, as a Clojure REPL, and stops at the first error', async () => {
    const s = (await request({ op: 'clone' }))[0]['new-session'];
    const replies = await request({ op: 'eval', code: '(ns multi.forms)\n(def y 2)\n(println :between)\n(* y 21)', session: s });
    assert.deepEqual(field(replies, 'value'), ['nil', "#'multi.forms/y", 'nil', '42']);
    assert.deepEqual(field(replies, 'ns'), ['multi.forms', 'multi.forms', 'multi.forms', 'multi.forms']);
    assert.deepEqual(field(replies, 'out'), [':between\n']);
    assert.deepEqual(replies.at(-1).status, ['done']);
    const failing = await request({ op: 'eval', code: '(def z 1)\n  (undefined-thing)\n(def never 2)', session: s });
    assert.deepEqual(field(failing, 'value'), ["#'multi.forms/z"], 'the form before the error ran and answered');
    assert.match(field(failing, 'err').join(''), /analyze error at 2:4: Unable to resolve symbol: undefined-thing/,
      "the error points at the form's line and column in the eval's code");
    assert.deepEqual(replies.at(-1).status, ['done']);
    const never = await request({ op: 'eval', code: '(resolve (quote never))', session: s });
    assert.deepEqual(field(never, 'value'), ['nil'], 'the forms after the error did not run');
  });

  it('a request without an id is answered without one, as nREPL answers it', async () => {
    const replies = await new Promise((resolve) => {
      const seen = [];
      const onData = (reply) => {
        if (reply.id !== undefined) return;
        seen.push(reply);
        if (reply.status?.includes('done')) {
          connection.messageStream.removeListener('data', onData);
          resolve(seen);
        }
      };
      connection.messageStream.on('data', onData);
      // Raw bencode: the client library gives every message it sends an id.
      connection.write('d2:op8:describee');
    });
    assert.ok(replies.every((r) => !('id' in r)), JSON.stringify(replies));
  });

  const errorCases = [
    ['unbalanced parentheses', '(defn f [x]\n  (+ x 1)', /read error at 1:1: EOF while reading/],
    ['an unknown symbol', '(undefined-thing 1)', /analyze error at 1:2: Unable to resolve symbol: undefined-thing/],
    ['an unsupported form', '(my.app.Widget. 1)', /unsupported form: \(my\.app\.Widget\./],
    ['a method the page lacks', '(.getChannel "a")', /run error: No matching field found: getChannel for class java\.lang\.String/],
  ];
  for (const [name, code, pattern] of errorCases) {
    it(`${name} gives err, ex and eval-error, then done`, async () => {
      const replies = await request({ op: 'eval', code, session });
      assert.match(field(replies, 'err').join(''), pattern);
      assert.ok(field(replies, 'ex').length === 1);
      assert.ok(statuses(replies).includes('eval-error'));
      assert.deepEqual(replies.at(-1).status, ['done']);
    });
  }

  it('an unknown op gets unknown-op', async () => {
    const replies = await request({ op: 'launch-missiles', session });
    assert.ok(statuses(replies).includes('unknown-op'));
  });

  it('completions offer vars and namespaces the compiler knows', async () => {
    const [reply] = await request({ op: 'completions', prefix: 'gg', ns: 'user', session });
    assert.ok(reply.completions.some((c) => c.candidate === 'ggg' && c.ns === 'user' && c.type === 'function'), JSON.stringify(reply));
    const core = await request({ op: 'completions', prefix: 'redu', ns: 'user', session });
    assert.ok(core[0].completions.some((c) => c.candidate === 'reduce'));
    const namespaces = await request({ op: 'completions', prefix: 'fo', ns: 'user', session });
    assert.ok(namespaces[0].completions.some((c) => c.candidate === 'foo' && c.type === 'namespace'));
  });

  it('docs for the editor: lookup, info and eldoc from what the compiler keeps', async () => {
    const defined = await request({
      op: 'eval', session,
      code: '(ns info.demo (:require [clojure.string :as str] [clojure.string :as text])) (defn greet "Says hello." [who & more] (str "hi " who))',
    });
    assert.deepEqual(field(defined, 'value'), ['nil', "#'info.demo/greet"], 'a value for each form, as a Clojure REPL');

    const [info] = await request({ op: 'info', sym: 'greet', ns: 'info.demo', session });
    assert.equal(info.ns, 'info.demo');
    assert.equal(info.name, 'greet');
    assert.equal(info.doc, 'Says hello.');
    assert.equal(info['arglists-str'], '([who & more])');
    assert.deepEqual(info.status, ['done']);

    const [prefixed] = await request({ op: 'cider/info', sym: 'greet', ns: 'info.demo', session });
    assert.equal(prefixed.doc, 'Says hello.', "cider-nrepl's ops answer under their cider/ names, as recent CIDER sends them");

    const [lookup] = await request({ op: 'lookup', sym: 'info.demo/greet', ns: 'user', session });
    assert.equal(lookup.info.doc, 'Says hello.');

    const [eldoc] = await request({ op: 'eldoc', symbol: 'greet', ns: 'info.demo', session });
    assert.deepEqual(eldoc.eldoc, [['who', '&', 'more']]);
    assert.equal(eldoc.type, 'function');
    assert.equal(eldoc.docstring, 'Says hello.');

    // clojure.core's native functions carry Clojure's arglists, aliases too.
    const [core] = await request({ op: 'eldoc', symbol: 'assoc', ns: 'info.demo', session });
    assert.deepEqual(core.eldoc, [['map', 'key', 'val'], ['map', 'key', 'val', '&', 'kvs']]);
    const [aliasedInfo] = await request({ op: 'info', sym: 'str/join', ns: 'info.demo', session });
    assert.equal(aliasedInfo['arglists-str'], '([coll] [separator coll])');
    // The Clojure version that added a var, as cider's doc shows it; none for the user's own.
    assert.equal(aliasedInfo.added, '1.2');
    assert.equal(info.added, undefined);

    const [macro] = await request({ op: 'info', sym: 'when', ns: 'info.demo', session });
    assert.equal(macro.macro, 'true');
    assert.equal(macro['arglists-str'], '([test & body])');
    assert.equal(macro.ns, 'clojure.core');
    assert.equal(macro.added, '1.0');

    // A special form, as cider-nrepl describes one (CIDER's doc and eldoc on `if`).
    const [special] = await request({ op: 'info', sym: 'if', ns: 'info.demo', session });
    assert.deepEqual([special['special-form'], special['forms-str'], special.ns], ['true', '(if test then else?)', 'clojure.core']);
    assert.match(special.doc, /^Evaluates test/);
    const [specialEldoc] = await request({ op: 'eldoc', sym: 'recur', ns: 'info.demo', session });
    assert.deepEqual([specialEldoc.type, specialEldoc.eldoc], ['special-form', [['exprs*']]]);

    // cider-apropos: names by a regex, docs too when asked, one namespace when given.
    const [found] = await request({ op: 'apropos', query: 'UPPER-c', session });
    const upper = found['apropos-matches'].find((m) => m.name === 'clojure.string/upper-case');
    assert.deepEqual([upper?.type, upper?.doc], ['function', 'Converts string to all upper-case.']);
    const [inCore] = await request({ op: 'apropos', query: 'upper', 'search-ns': 'clojure.core', session });
    assert.ok(inCore['apropos-matches'].every((m) => m.name.startsWith('clojure.core/')), JSON.stringify(inCore));
    const [byDoc] = await request({ op: 'apropos', query: 'singular values nil', 'docs?': 'true', session });
    assert.deepEqual(byDoc['apropos-matches'].map((m) => [m.name, m.type]), [['if', 'special-form']]);
    const [literal] = await request({ op: 'apropos', query: '(unbalanced', session });
    assert.deepEqual([literal['apropos-matches'], literal.status], [[], ['done']], 'a query that is no regex is text');

    // Where each var was defined, for CIDER's jump to the definition (M-.).
    const located = await request({
      op: 'eval', session, ns: 'info.demo', file: '/work/app/src/info/demo.jank', line: 12, column: 1,
      code: '(defn located\n  "Somewhere."\n  [] :here)',
    });
    assert.deepEqual(field(located, 'value'), ["#'info.demo/located"]);
    const [where] = await request({ op: 'info', sym: 'located', ns: 'info.demo', session });
    assert.deepEqual([where.file, where.line, where.column], ['/work/app/src/info/demo.jank', 12, 1]);
    const [typed] = await request({ op: 'info', sym: 'greet', ns: 'info.demo', session });
    assert.equal(typed.file, undefined, 'typed at the REPL: no file');
    await request({ op: 'eval', session, code: "(require 'shop.catalog)" });
    const [loaded] = await request({ op: 'info', sym: 'shop.catalog/price', ns: 'user', session });
    assert.deepEqual([loaded.file, loaded.line], [path.join(sourceDir, 'shop', 'catalog.jank'), 3], 'a namespace loaded from the source path');

    // A namespace's file (CIDER's C-c M-.): the source path's, else where its vars were evaluated from.
    const [catalogPath] = await request({ op: 'cider/ns-path', ns: 'shop.catalog', session });
    assert.equal(catalogPath.path, path.join(sourceDir, 'shop', 'catalog.jank'));
    const [demoPath] = await request({ op: 'ns-path', ns: 'info.demo', session });
    assert.equal(demoPath.path, '/work/app/src/info/demo.jank');
    const [nowhere] = await request({ op: 'ns-path', ns: 'no.such.ns', session });
    assert.deepEqual([nowhere.path, nowhere.status], ['', ['done']]);

    const [missing] = await request({ op: 'info', sym: 'no-such-thing', ns: 'info.demo', session });
    assert.deepEqual(missing.status, ['done', 'no-info']);
    const [noEldoc] = await request({ op: 'eldoc', sym: 'no-such-thing', ns: 'info.demo', session });
    assert.deepEqual(noEldoc.status, ['done', 'no-eldoc']);
  });

  it('namespaces for the editor: ns-list, ns-vars, and completions through aliases and of macros', async () => {
    const [list] = await request({ op: 'ns-list', session });
    for (const ns of ['clojure.core', 'info.demo', 'user']) assert.ok(list['ns-list'].includes(ns), ns);
    const [vars] = await request({ op: 'ns-vars', ns: 'info.demo', session });
    assert.ok(vars['ns-vars'].includes('greet'));
    const [aliased] = await request({ op: 'complete', prefix: 'str/jo', ns: 'info.demo', session });
    assert.ok(aliased.completions.some((c) => c.candidate === 'str/join' && c.ns === 'clojure.string'), JSON.stringify(aliased));
    const [macros] = await request({ op: 'completions', prefix: 'when-l', ns: 'info.demo', session });
    assert.ok(macros.completions.some((c) => c.candidate === 'when-let' && c.type === 'macro'), JSON.stringify(macros));
    const [alias] = await request({ op: 'completions', prefix: 'tex', ns: 'info.demo', session });
    assert.ok(alias.completions.some((c) => c.candidate === 'text' && c.type === 'namespace'), JSON.stringify(alias));
  });

  it("macroexpand (cider-nrepl's, CIDER's C-c C-m): each expander, each way of showing namespaces, and errors", async () => {
    const defined = await request({
      op: 'eval', session,
      code: '(ns info.expand (:require [clojure.string :as str])) (defmacro joined [xs] `(str/join "," ~xs))',
    });
    assert.deepEqual(field(defined, 'value'), ['nil', "#'info.expand/joined"]);
    const expand = async (fields) => (await request({ op: 'macroexpand', ns: 'info.expand', session, ...fields }))[0];
    const qualified = await expand({ code: '(joined names)', expander: 'macroexpand-1' });
    assert.equal(qualified.expansion, '(clojure.string/join "," names)');
    assert.deepEqual(qualified.status, ['done']);
    assert.equal((await expand({ code: '(joined names)', 'display-namespaces': 'tidy' })).expansion, '(str/join "," names)');
    assert.equal((await expand({ code: '(joined names)', 'display-namespaces': 'none' })).expansion, '(join "," names)');
    const all = await expand({ code: '(when a (when-not b (joined c)))', expander: 'macroexpand-all', 'display-namespaces': 'tidy' });
    assert.equal(all.expansion, '(if a (do (if b nil (do (str/join "," c)))))');
    // A long expansion is laid out as code, and reads back as the same form.
    const long = await expand({ code: '(when-let [value (some-function-with-a-long-name argument-one)] (println "the value is" value) value)' });
    assert.match(long.expansion, /^\(let\* \[temp__\d+__auto__ \(some-function-with-a-long-name argument-one\)\]\n  \(clojure\.core\/when temp__\d+__auto__\n/);
    const aliased = await request({ op: 'cider/macroexpand', ns: 'info.expand', session, code: '(joined x)', 'display-namespaces': 'tidy' });
    assert.equal(aliased[0].expansion, '(str/join "," x)', 'the op under its cider/ name');

    const unknown = await expand({ code: '(joined x)', expander: 'macroexpand-some' });
    assert.deepEqual(unknown.status, ['done', 'macroexpand-error']);
    assert.match(unknown.err, /unknown expander "macroexpand-some"/);
    const unread = await expand({ code: '(joined x' });
    assert.deepEqual(unread.status, ['done', 'macroexpand-error']);
    assert.match(unread.err, /read error/i);
    await request({ op: 'eval', session, code: '(defmacro boom [] (throw (ex-info "no expansion here" {})))' });
    const failing = await expand({ code: '(boom)' });
    assert.deepEqual(failing.status, ['done', 'macroexpand-error']);
    assert.match(failing.err, /no expansion here/);
    const [value] = field(await request({ op: 'eval', session, code: '(+ 1 2)' }), 'value');
    assert.equal(value, '3', 'the session works on');
  });

  it("undef and undef-all (cider-nrepl's, CIDER's C-c C-u) take names out of the page and the compiler", async () => {
    const defined = await request({
      op: 'eval', session,
      code: '(ns undef.demo (:require [clojure.string :as str])) (defn shout [s] (str/upper-case s)) (def volume 11)',
    });
    assert.deepEqual(field(defined, 'value'), ['nil', "#'undef.demo/shout", "#'undef.demo/volume"]);
    const [undone] = await request({ op: 'undef', ns: 'undef.demo', sym: 'shout', session });
    assert.deepEqual([undone.undef, undone.status], ['shout', ['done']]);
    const gone = await request({ op: 'eval', session, ns: 'undef.demo', code: '(shout "hi")' });
    assert.match(field(gone, 'err')[0], /Unable to resolve symbol: shout/);
    const kept = await request({ op: 'eval', session, ns: 'undef.demo', code: '[volume (str/join [1 2])]' });
    assert.deepEqual(field(kept, 'value'), ['[11 "12"]'], 'the rest of the namespace stays');
    const [all] = await request({ op: 'undef-all', ns: 'undef.demo', session });
    assert.deepEqual(all.status, ['done']);
    const noVar = await request({ op: 'eval', session, ns: 'undef.demo', code: 'volume' });
    assert.match(field(noVar, 'err')[0], /Unable to resolve symbol: volume/);
    const noAlias = await request({ op: 'eval', session, ns: 'undef.demo', code: '(str/join [1])' });
    assert.match(field(noAlias, 'err')[0], /No such namespace: str/);
    const core = await request({ op: 'eval', session, ns: 'undef.demo', code: '(inc 1)' });
    assert.deepEqual(field(core, 'value'), ['2'], "clojure.core's names stay");
    const [missing] = await request({ op: 'undef', ns: 'undef.demo', session });
    assert.deepEqual(missing.status, ['done', 'undef-error']);
  });

  it("track-state (cider-nrepl's): after an eval the session hears which namespaces changed, for CIDER's font-lock, indentation and test keys", async () => {
    const fresh = field(await request({ op: 'clone' }), 'new-session')[0];
    const first = await requestWithState({
      op: 'eval', session: fresh,
      code: '(ns track.demo (:require [clojure.string :as str] [clojure.test :refer [deftest is]])) '
        + '(defmacro with-light [color & body] `(do ~@body)) (defn shade [c] c)',
    });
    assert.deepEqual(field(first.replies, 'value'), ['nil', "#'track.demo/with-light", "#'track.demo/shade"]);
    assert.equal(first.state['repl-type'], 'clj');
    const demo = first.state['changed-namespaces']['track.demo'];
    assert.deepEqual(demo.aliases, { str: 'clojure.string' });
    assert.deepEqual(demo.refers, { deftest: 'clojure.test/deftest', is: 'clojure.test/is' });
    assert.deepEqual(demo.interns['with-light'], { macro: 'true', 'style/indent': '1' });
    assert.deepEqual(demo.interns.shade, { fn: 'true' });
    assert.equal(first.state['changed-namespaces']['clojure.core'].interns.when.macro, 'true',
      "a session's first state has every namespace");

    const second = await requestWithState({
      op: 'eval', session: fresh, ns: 'track.demo', code: '(deftest shade-test (is (= 1 (shade 1))))',
    });
    assert.deepEqual(Object.keys(second.state['changed-namespaces']), ['track.demo'], 'then only what changed');
    assert.deepEqual(second.state['changed-namespaces']['track.demo'].interns['shade-test'], { test: 'true' });

    const [browsed] = await request({ op: 'cider/ns-vars-with-meta', ns: 'track.demo', session: fresh });
    assert.deepEqual(browsed['ns-vars-with-meta'].shade, { arglists: '([c])', fn: 'true' });
    assert.deepEqual(browsed['ns-vars-with-meta']['with-light'],
      { arglists: '([color & body])', macro: 'true', 'style/indent': '1' }, "CIDER's namespace browser");

    const asked = await requestWithState({ op: 'cider/get-state', session: fresh });
    assert.deepEqual(asked.state['changed-namespaces'], {}, 'nothing changed since');
    const undone = await requestWithState({ op: 'undef', ns: 'track.demo', sym: 'shade', session: fresh });
    assert.deepEqual(undone.state['changed-namespaces']['track.demo'].interns.shade, undefined);
    const other = await requestWithState({ op: 'cider/get-state', session });
    assert.ok(other.state['changed-namespaces']['track.demo'], 'each session hears for itself');
  });

  it("values are printed as nREPL's print middleware options ask: a pretty printer's layout, length, level and quota", async () => {
    const code = '{:name "jank", :tags [:lisp :wasm :clojure], :nested {:deep {:deeper (range 8)}}}';
    const pretty = await request({
      op: 'eval', session, code,
      'nrepl.middleware.print/print': 'cider.nrepl.pprint/clojure-pprint',
      'nrepl.middleware.print/options': { 'right-margin': 40 },
      'nrepl.middleware.print/stream?': '1',
    });
    // As JVM Clojure's clojure.pprint lays it out at a right margin of 40.
    assert.deepEqual(field(pretty, 'value'),
      ['{:name "jank",\n :tags [:lisp :wasm :clojure],\n :nested\n {:deep {:deeper (0 1 2 3 4 5 6 7)}}}']);
    const conjure = await request({ op: 'eval', session, code: '(vec (range 30))', 'nrepl.middleware.print/print': 'conjure.internal/pprint' });
    assert.equal(field(conjure, 'value')[0].split('\n').length, 30, 'the default margin is 72, one item a line');
    const plain = await request({ op: 'eval', session, code, 'nrepl.middleware.print/print': 'cider.nrepl.pprint/pr' });
    assert.deepEqual(field(plain, 'value'), ['{:name "jank", :tags [:lisp :wasm :clojure], :nested {:deep {:deeper (0 1 2 3 4 5 6 7)}}}']);
    const cut = await request({
      op: 'eval', session, code: '[(range 10) {:a [1 [2 [3]]]}]',
      'nrepl.middleware.print/print': 'cider.nrepl.pprint/pr',
      'nrepl.middleware.print/options': { length: 3, level: 3 },
    });
    assert.deepEqual(field(cut, 'value'), ['[(0 1 2 ...) {:a [1 #]}]']);
    const quota = await request({ op: 'eval', session, code: '(apply str (repeat 50 "ab"))', 'nrepl.middleware.print/quota': 10 });
    const [truncated] = quota.filter((r) => r.value !== undefined);
    assert.equal(truncated.value, '"ababababa');
    assert.deepEqual(truncated.status, ['nrepl.middleware.print/truncated']);
    assert.deepEqual(truncated['nrepl.middleware.print/truncated-keys'], ['value']);
  });

  it("test ops (cider-nrepl's, CIDER's C-c C-t): run in the page, answered with a summary and each assertion", async () => {
    const defined = await request({
      op: 'eval', session,
      code: `(ns shop.cart-test (:require [clojure.test :refer [deftest is testing]]))
(deftest totals (is (= 3 (+ 1 2))) (testing "with tax" (is (= 4 (+ 1 2)) "tax is added")))
(deftest prints (println "checking prints") (is (string? "s")))
(deftest throws (is (= 1 (throw (ex-info "no stock" {})))))`,
    });
    assert.deepEqual(field(defined, 'value'),
      ['nil', "#'shop.cart-test/totals", "#'shop.cart-test/prints", "#'shop.cart-test/throws"]);
    const replies = await request({ op: 'cider/test', ns: 'shop.cart-test', session });
    assert.deepEqual(field(replies, 'out'), ['checking prints\n']);
    const report = replies.find((r) => r.summary);
    assert.deepEqual(report.status, ['done']);
    assert.deepEqual(report.summary, { ns: 1, var: 3, test: 4, pass: 2, fail: 1, error: 1 });
    const [taxPass, tax] = report.results['shop.cart-test'].totals;
    assert.deepEqual([taxPass.type, tax.type, tax.context, tax.message], ['pass', 'fail', 'with tax', 'tax is added']);
    assert.deepEqual([tax.expected, tax.actual, tax.var, tax.index], ['(= 4 (+ 1 2))\n', '(not (= 4 3))\n', 'totals', 1]);
    const [thrown] = report.results['shop.cart-test'].throws;
    assert.deepEqual([thrown.type, thrown.error], ['error', 'clojure.lang.ExceptionInfo: no stock']);
    assert.match(report['elapsed-time'].humanized, /^Completed in \d+ ms$/);

    // retest runs what failed or erred last time, and only that.
    const [retest] = await request({ op: 'retest', session });
    assert.deepEqual(Object.keys(retest.results['shop.cart-test']).sort(), ['throws', 'totals']);
    assert.equal(retest.summary.var, 2);

    const one = (await request({
      op: 'test-var-query', session,
      'var-query': { 'ns-query': { exactly: ['shop.cart-test'] }, exactly: ['shop.cart-test/prints'] },
    })).find((r) => r.summary);
    assert.deepEqual(one.summary, { ns: 1, var: 1, test: 1, pass: 1, fail: 0, error: 0 });
    const all = (await request({ op: 'test-all', session })).find((r) => r.summary);
    assert.ok(all.results['shop.cart-test'], 'test-all runs every namespace the page has');

    // A test namespace on the source path that no eval loaded yet is loaded first.
    const loaded = (await request({ op: 'test', ns: 'shop.stock-test', session })).find((r) => r.summary);
    assert.deepEqual(loaded?.summary, { ns: 1, var: 1, test: 1, pass: 1, fail: 0, error: 0 });

    const [missing] = await request({ op: 'test', ns: 'no.such-test', session });
    assert.deepEqual(missing.status, ['done', 'namespace-not-found']);
  });

  it('an eval with file, line and column (as CIDER sends) reports errors where the code sits in the file', async () => {
    const replies = await request({
      op: 'eval', session, ns: 'user',
      code: '(defn broken [x]\n  (+ x oops))',
      file: '/home/me/app/src/app/core.clj', line: 10, column: 5,
    });
    const err = field(replies, 'err').join('');
    assert.match(err, /in \/home\/me\/app\/src\/app\/core\.clj at 11:8/, err);
    const first = await request({ op: 'eval', session, ns: 'user', code: '(oops)', file: 'core.clj', line: 3, column: 7 });
    assert.match(field(first, 'err').join(''), /at 3:8/, 'an error on the first line is offset by the column too');
  });

  it("a failing clojure.test assertion evaluated from a file (as CIDER sends it) reports the file's name and the assertion's line", async () => {
    await request({
      op: 'eval', session, ns: 'user',
      code: '(ns app.place-test (:require [clojure.test :refer [deftest is are]]))',
      file: '/home/me/app/test/app/place_test.clj', line: 1, column: 1,
    });
    await request({
      op: 'eval', session, ns: 'app.place-test',
      code: '(deftest sums\n  (is (= 1 1))\n  (is (= 3 (+ 1 1))))',
      file: '/home/me/app/test/app/place_test.clj', line: 12, column: 1,
    });
    await request({
      op: 'eval', session, ns: 'app.place-test',
      code: '(deftest tables (are [x y] (= x y)\n 1 2))',
      file: '/home/me/app/test/app/place_test.clj', line: 20, column: 1,
    });
    const run = await request({ op: 'eval', session, ns: 'app.place-test', code: "(clojure.test/run-tests 'app.place-test)" });
    const out = field(run, 'out').join('');
    assert.match(out, /FAIL in \(sums\) \(place_test\.clj:14\)\nexpected: \(= 3 \(\+ 1 1\)\)/, out);
    assert.match(out, /FAIL in \(tables\) \(place_test\.clj:20\)/, out);
    // Typed at the REPL, with no file: Clojure's NO_SOURCE_FILE.
    await request({ op: 'eval', session, ns: 'app.place-test', code: '(deftest typed (is (= :a :b)))' });
    const typed = await request({ op: 'eval', session, ns: 'app.place-test', code: '(clojure.test/test-vars [#\'typed])' });
    assert.match(field(typed, 'out').join(''), /FAIL in \(typed\) \(NO_SOURCE_FILE:1\)/);
  });

  it('load-file evaluates a jank file, and a .cpp file as a raw patch', async () => {
    const jank = await request({ op: 'load-file', file: '(ns loaded.file)\n(defn f [] 42)\n(f)', 'file-name': 'file.jank', session });
    assert.deepEqual(field(jank, 'value'), ['42']);
    const cpp = await request({
      op: 'load-file',
      file: 'static void *h(void) { return jank_box_integer(7); }\nJANK_PATCH_SYMBOLS({ "loaded.cpp/h", "0", (void *)h })\n',
      'file-name': 'patch.cpp',
      session,
    });
    assert.ok(statuses(cpp).includes('done') && field(cpp, 'err').length === 0, JSON.stringify(cpp));
    assert.deepEqual(field(await request({ op: 'eval', code: '(ns user) (loaded.cpp/h)', session }), 'value'), ['nil', '7']);
  });

  it('two sessions keep their own namespaces', async () => {
    const a = (await request({ op: 'clone' }))[0]['new-session'];
    const b = (await request({ op: 'clone' }))[0]['new-session'];
    await request({ op: 'eval', code: '(ns alpha)', session: a });
    await request({ op: 'eval', code: '(ns beta)', session: b });
    const [ra, rb] = await Promise.all([
      request({ op: 'eval', code: '(def which 1)', session: a }),
      request({ op: 'eval', code: '(def which 2)', session: b }),
    ]);
    assert.deepEqual([field(ra, 'value')[0], field(rb, 'value')[0]], ["#'alpha/which", "#'beta/which"]);
    const listed = (await request({ op: 'ls-sessions' }))[0].sessions;
    assert.ok(listed.includes(a) && listed.includes(b));
    const closed = await request({ op: 'close', session: b });
    assert.ok(statuses(closed).includes('session-closed'));
    assert.ok(!(await request({ op: 'ls-sessions' }))[0].sessions.includes(b));
  });

  it('*1, *2, *3 and *e are per session, as in a Clojure REPL', async () => {
    const a = (await request({ op: 'clone' }))[0]['new-session'];
    const b = (await request({ op: 'clone' }))[0]['new-session'];
    const value = async (code, s) => {
      const replies = await request({ op: 'eval', code, session: s });
      return field(replies, 'value')[0] ?? field(replies, 'err')[0];
    };
    assert.equal(await value('(+ 1 2)', a), '3');
    assert.equal(await value('(* 2 *1)', a), '6');
    assert.equal(await value('(str "b sees " *1)', b), '"b sees "');
    assert.equal(await value('[*1 *2 *3]', a), '[6 3 nil]');
    assert.match(await value('(/ 1 0)', a), /Divide by zero/);
    assert.equal(await value('(ex-message *e)', a), '"Divide by zero"');
    assert.equal(await value('*e', b), 'nil');
    assert.equal(await value('(first *2)', a), '6', '*2 is the vector two values back');
  });

  it("the REPL's namespace has pprint and pp without a require, as clojure.main's repl-requires refer them", async () => {
    const s = (await request({ op: 'clone' }))[0]['new-session'];
    const out = async (code) => field(await request({ op: 'eval', code, session: s }), 'out').join('');
    assert.equal(await out('(pprint {:a 1, :b [1 2]})'), '{:a 1, :b [1 2]}\n');
    await request({ op: 'eval', code: '(vec (range 3))', session: s });
    assert.equal(await out('(pp)'), '[0 1 2]\n', '(pp) pretty prints *1');
  });

  it('a session prints namespaced maps as a Clojure REPL does, and keeps its set! of *print-namespace-maps*', async () => {
    const a = (await request({ op: 'clone' }))[0]['new-session'];
    const b = (await request({ op: 'clone' }))[0]['new-session'];
    const value = async (code, s) => field(await request({ op: 'eval', code, session: s }), 'value')[0];
    assert.equal(await value('{:a/b 1 :a/c 2}', a), '#:a{:b 1, :c 2}');
    assert.equal(await value('(set! *print-namespace-maps* false)', a), 'false');
    assert.equal(await value('{:a/b 1 :a/c 2}', a), '{:a/b 1, :a/c 2}', 'the set! lasts for the session');
    assert.equal(await value('(pr-str {:a/b 1})', b), '"#:a{:b 1}"', 'another session keeps its own');
  });

  it('interrupt ends a wait for a page that never answers', async () => {
    // Swap the page's client for one whose beforeLoad never resolves.
    await page.evaluate(async () => {
      window.jankClient.close();
      const { connect } = await import('./generated/jank_hot_reload.js');
      const Module = await window.createJankRuntime();
      window.stuck = connect(Module, { hud: false, beforeLoad: () => new Promise(() => {}) });
      await window.stuck.whenConnected();
    });
    const pending = request({ op: 'eval', code: '(ns user) (+ 1 2)', session });
    await new Promise((r) => setTimeout(r, 300));
    const evalId = `t${nextId}`;
    const interrupted = await request({ op: 'interrupt', 'interrupt-id': evalId, session });
    assert.deepEqual(interrupted.at(-1).status, ['done']);
    const replies = await pending;
    assert.ok(statuses(replies).includes('interrupted'), JSON.stringify(replies));
    const idle = await request({ op: 'interrupt', session });
    assert.ok(statuses(idle).includes('session-idle'));
  });

  it('with no page connected the reply says to open the page, at once', async () => {
    await page.close();
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const replies = await request({ op: 'eval', code: '(+ 1 2)', session });
    assert.match(field(replies, 'err').join(''), new RegExp(`no page is connected.*open http://127\\.0\\.0\\.1:${httpPort}/`));
    assert.ok(Date.now() - started < 2000, 'it does not hang');
  });
});
