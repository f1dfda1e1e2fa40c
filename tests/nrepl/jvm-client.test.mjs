// A client we did not write: nREPL's own command-line client (nrepl.cmdline
// --connect, from Debian's libnrepl-clojure, on JVM Clojure), typed into as a
// user types, against the server and the demo page in headless Chromium.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, it } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const httpPort = 7958;
const classpath = ['clojure.jar', 'nrepl.jar', 'spec-alpha.jar', 'core-specs-alpha.jar']
  .map((jar) => `/usr/share/java/${jar}`).join(':');
let server;
let browser;
let nreplPort;

before(async () => {
  let match;
  ({ server, match } = await startServer(
    ['--port', String(httpPort), '--www', 'www', '--nrepl-port', '0', '--log-level', 'warn'],
    { ready: /nREPL server started on port (\d+) on host 127\.0\.0\.1/ }));
  nreplPort = match[1];
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${httpPort}/`);
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** What nREPL's client prints for a session typed on its standard input. */
function session(input) {
  return new Promise((resolve, reject) => {
    const child = execFile('java', ['-cp', classpath, 'clojure.main', '-m', 'nrepl.cmdline',
      '--connect', '--host', '127.0.0.1', '--port', nreplPort], { timeout: 60000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

it("nREPL's own client: each form's value, output, an error that leaves the REPL running, and ns switches", async () => {
  const out = await session('(+ 1 2)\n(defn ggg [v] (+ v 49)) (ggg 1)\n(println "hi")\n(/ 1 0)\n(ggg 2)\n(ns jvm.client)\n(def x 5)\n(inc x)\n');
  const prompts = out.split(/^(?=[\w.]+=> )/m).slice(1).map((chunk) => chunk.trim());
  assert.deepEqual(prompts, [
    'user=> 3',
    "user=> #'user/ggg",
    'user=> 50',
    'user=> hi\nnil',
    'user=> run error: Divide by zero',
    'user=> 51',
    'user=> nil',
    "jvm.client=> #'jvm.client/x",
    'jvm.client=> 6',
    'jvm.client=>',
  ], out);
});
