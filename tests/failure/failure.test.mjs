// Failures mid-eval: nothing hangs, the page stays usable, earlier definitions
// keep working, and the editor is told.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import nrepl from 'nrepl-client';

import { launchChromium } from '../lib/browser.mjs';
import { startServer as start } from '../lib/server.mjs';

const httpPort = 7981;
const nreplPort = 7982;
let server;
let browser;

async function startServer() {
  ({ server } = await start(
    ['--port', String(httpPort), '--www', 'www', '--nrepl-port', String(nreplPort), '--nrepl-port-file', '/tmp/jhr-failure-port',
      '--log-level', 'error', '--ack-timeout', '4'],
    { ready: /nREPL server started/ },
  ));
}

async function editor() {
  const connection = nrepl.connect({ port: nreplPort, host: '127.0.0.1' });
  await new Promise((r) => connection.once('connect', r));
  return connection;
}

let nextId = 0;
function send(connection, message) {
  const id = `f${++nextId}`;
  const replies = [];
  const done = new Promise((resolve) => {
    const onData = (reply) => {
      if (reply.id !== id) return;
      replies.push(reply);
      if ((reply.status ?? []).includes('done')) resolve({ replies });
    };
    connection.messageStream.on('data', onData);
    connection.once('close', () => resolve({ replies, closed: true }));
  });
  connection.send({ ...message, id });
  return done;
}

/** The demo page, loaded and running. */
async function demoPage() {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${httpPort}/`);
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  return page;
}

/** The values, and the err text, of an eval's replies. */
const values = (outcome) => outcome.replies.map((r) => r.value).filter(Boolean);
const errText = (outcome) => outcome.replies.map((r) => r.err ?? '').join('');

/** A demo page whose client never finishes loading a patch: the eval stays pending. */
async function stuckPage() {
  const page = await demoPage();
  await page.evaluate(async () => {
    window.jankClient.close();
    const { connect } = await import('./generated/jank_hot_reload.js');
    window.stuck = connect(window.jankModule, { hud: false, beforeLoad: () => new Promise(() => {}) });
    await window.stuck.whenConnected();
  });
  return page;
}

before(async () => {
  await startServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

it('the server killed mid-eval: the editor is told at once, and the page reconnects when it returns', async () => {
  const page = await stuckPage();
  const connection = await editor();
  const pending = send(connection, { op: 'eval', code: '(defn ggg [v] (* v 3))' });
  await new Promise((r) => setTimeout(r, 300));
  const killedAt = Date.now();
  server.kill('SIGKILL');
  const outcome = await pending;
  assert.ok(outcome.closed, 'the editor sees its connection close');
  assert.ok(Date.now() - killedAt < 2000, 'at once, not after a timeout');

  await startServer();
  await page.waitForFunction(() => window.stuck.connected, null, { timeout: 15000 });
  // The page kept running its earlier definitions throughout.
  assert.equal(await page.textContent('#value'), '59');
  await page.close();
});

it('the page reloaded mid-eval: the eval ends with a clear error, and the reloaded page works', async () => {
  const page = await stuckPage();
  const connection = await editor();
  const pending = send(connection, { op: 'eval', code: '(defn ggg [v] (* v 4))' });
  await new Promise((r) => setTimeout(r, 300));
  await page.reload();
  const started = Date.now();
  const { replies } = await pending;
  const err = replies.map((r) => r.err ?? '').join('');
  assert.match(err, /did not acknowledge patch \d+ within/);
  assert.ok(Date.now() - started < 7000, 'bounded by --ack-timeout');

  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  const again = await send(connection, { op: 'eval', code: '(ns user) (defn ggg [v] (* v 5))' });
  assert.deepEqual(values(again), ['nil', "#'user/ggg"]);
  await page.waitForFunction(() => document.getElementById('value').textContent === '50', null, { timeout: 10000 });
  connection.end();
  await page.close();
});

it("the page's own code removed the patch directory: the next patch makes it again and loads", async () => {
  const page = await demoPage();
  const connection = await editor();
  const first = await send(connection, { op: 'eval', code: '(ns user) (defn ggg [v] (* v 6))' });
  assert.deepEqual(values(first), ['nil', "#'user/ggg"]);
  const removed = await page.evaluate(() => {
    const { FS } = window.jankModule;
    const dir = '/jank-hot-reload/patches';
    for (const name of FS.readdir(dir)) if (name !== '.' && name !== '..') FS.unlink(`${dir}/${name}`);
    FS.rmdir(dir);
    return !FS.analyzePath(dir).exists;
  });
  assert.equal(removed, true);
  const again = await send(connection, { op: 'eval', code: '(defn ggg [v] (* v 7))' });
  assert.deepEqual(values(again), ["#'user/ggg"]);
  await page.waitForFunction(() => document.getElementById('value').textContent === '70', null, { timeout: 10000 });
  connection.end();
  await page.close();
});

it('compile-time recursion as deep as the limits allow runs on the server thread in place and ends in an error, not a crash', async () => {
  // The server compiles on its own thread's stack (no thread per compile), so
  // the deepest recursion the compiler's limits allow must fit in it.
  const page = await demoPage();
  const connection = await editor();
  const defined = await send(connection, { op: 'eval', code: '(ns user) (defn spin [n] (spin (inc n))) (defmacro spins [] (spin 0))' });
  assert.deepEqual(defined.replies.map((r) => r.err).filter(Boolean), []);
  const runaway = await send(connection, { op: 'eval', code: '(spins)' });
  assert.match(errText(runaway), /StackOverflowError/);
  const nested = await send(connection, { op: 'eval', code: `(count '${'('.repeat(190)}1${')'.repeat(190)})` });
  assert.deepEqual(values(nested), ['1']);
  const again = await send(connection, { op: 'eval', code: '(defn ggg [v] (* v 6))' });
  assert.deepEqual(values(again), ["#'user/ggg"]);
  await page.waitForFunction(() => document.getElementById('value').textContent === '60', null, { timeout: 10000 });
  connection.end();
  await page.close();
});

it('output too big for the wire is cut with a note, an infinite seq printed ends in an error, and nothing hangs', async () => {
  const page = await demoPage();
  const connection = await editor();
  
  // 100,000 lines (589 KB): the editor gets the first 256 KiB and a note.
  const lines = await send(connection, { op: 'eval', code: '(ns user) (dotimes [i 100000] (println i))' });
  const out = lines.replies.map((r) => r.out ?? '').join('');
  assert.ok(out.startsWith('0\n1\n2\n'), out.slice(0, 20));
  assert.match(out, /\[output cut at 256 KiB: \d+ more bytes; the browser console has the whole output\]/);
  assert.deepEqual(values(lines), ['nil', 'nil']);

  // (range) as a value shows its start, where the JVM's nREPL prints until stopped.
  const start = await send(connection, { op: 'eval', code: '(range)' });
  assert.match(values(start).join(''), /^\(0 1 2 3 [\d ]+\n\.\.\. \[value cut at 256 KiB; def it, and look at a part of it\]\n$/);

  // Printing (range) would never end: the runtime stops it at 32 MiB.
  const endless = await send(connection, { op: 'eval', code: '(println (range))' });
  assert.match(errText(endless), /the output passed 32 MiB: is an infinite seq being printed\?/);

  // Output that escapes to more than the server takes in one message
  // (1 MiB): the eval fails at once with the reason, not at the ack timeout.
  const escaped = await send(connection, { op: 'eval', code: '(print (apply str (repeat 300000 (char 1))))' });
  assert.match(errText(escaped), /over the server's 1048576-byte limit for a page's message \(--max-message-bytes\)/);

  const again = await send(connection, { op: 'eval', code: '(defn ggg [v] (* v 8))' });
  assert.deepEqual(values(again), ["#'user/ggg"]);
  await page.waitForFunction(() => document.getElementById('value').textContent === '80', null, { timeout: 10000 });
  connection.end();
  await page.close();
});

it('an endless loop is stopped at the time limit, and the page runs on with its definitions', async () => {
  const page = await demoPage();
  const connection = await editor();
  const defined = await send(connection, { op: 'eval', code: '(ns user) (defn ggg [v] (* v 9))' });
  assert.deepEqual(values(defined), ['nil', "#'user/ggg"]);
  // A loop that forgot its step; 1 s, under this server's 4 s --ack-timeout.
  const endless = await send(connection, {
    op: 'eval',
    code: '(binding [jank.hot-reload/*time-limit-ms* 1000] (loop [i 0] (when (< i 10) (recur i))))',
  });
  assert.match(errText(endless), /stopped after 1 s, the page's limit for one call/);
  // A loop that calls nothing at all: the page's loop tick, on each recur.
  const callFree = await send(connection, { op: 'eval', code: '(binding [jank.hot-reload/*time-limit-ms* 1000] (while true))' });
  assert.match(errText(callFree), /stopped after 1 s, the page's limit for one call/);
  await page.waitForFunction(() => document.getElementById('value').textContent === '90', null, { timeout: 10000 });
  const again = await send(connection, { op: 'eval', code: '(ggg 2)' });
  assert.deepEqual(values(again), ['18']);
  connection.end();
  await page.close();
});

it("a frame redefined into an endless loop is stopped each frame, and the page takes the fix", async () => {
  const page = await demoPage();
  const connection = await editor();
  // The demo calls demo/frame, and through it ball-count, every frame.
  const stuck = await send(connection, {
    op: 'eval',
    code: '(ns demo) (alter-var-root (var jank.hot-reload/*time-limit-ms*) (constantly 500)) (defn ball-count [] (loop [i 0] (when (< i 10) (recur i))))',
  });
  assert.deepEqual(values(stuck), ['nil', '500', "#'demo/ball-count"]);
  const fixed = await send(connection, { op: 'eval', code: '(ns demo) (defn ball-count [] 5)' });
  assert.deepEqual(values(fixed), ['nil', "#'demo/ball-count"]);
  await page.waitForFunction(() => window.demoState?.balls === 5, null, { timeout: 10000 });
  await send(connection, { op: 'eval', code: '(alter-var-root (var jank.hot-reload/*time-limit-ms*) (constantly 8000))' });
  connection.end();
  await page.close();
});
