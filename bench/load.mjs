// Load benchmark: 10 pages connected, 500 patches in a row from an editor
// (nREPL). Every page must load every patch. Reports throughput and memory
// growth per patch in the pages (wasm memory, function table, JS heap) and in
// the server (RSS).   node bench/load.mjs [pages] [patches]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nrepl from 'nrepl-client';
import { launchChromium } from '../tests/lib/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pages = Number(process.argv[2] ?? 10);
const patches = Number(process.argv[3] ?? 500);

const server = spawn(path.join(root, 'target/release/jank-hot-reload'),
  ['--port', '7971', '--www', 'www', '--nrepl-port', '0', '--nrepl-port-file', '/tmp/jhr-load-port', '--log-level', 'error', '--ack-timeout', '30'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const nreplPort = await new Promise((resolve) => {
  let seen = '';
  server.stdout.on('data', (c) => {
    seen += c;
    const m = seen.match(/nREPL server started on port (\d+)/);
    if (m) resolve(Number(m[1]));
  });
});
// Never leave the server behind, whatever happens.
process.on('exit', () => server.kill());
process.on('uncaughtException', (e) => { console.error(e); server.kill(); process.exit(1); });
const rss = () => Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;

const browser = await launchChromium(['--enable-precise-memory-info']);
const tabs = [];
for (let i = 0; i < pages; i++) {
  const tab = await browser.newPage();
  await tab.goto('http://127.0.0.1:7971/');
  await tab.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 120000 });
  tabs.push(tab);
}
const measure = (tab) => tab.evaluate(() => {
  const M = window.jankModule;
  const stats = window.jankClient.stats();
  return {
    loaded: stats.patches_loaded,
    failed: stats.patches_failed,
    wasm: M.HEAPU8.length,
    // emcc 3.1.6 hides the table; addFunction appends at its end (the slot is
    // left in place, so a later measurement never reuses it).
    table: M.addFunction ? M.addFunction(() => {}, 'v') + 1 : null,
    heap: performance.memory?.usedJSHeapSize ?? null,
    runtime: stats.runtime,
    median: stats.load_ms_median,
  };
});

const connection = nrepl.connect({ port: nreplPort, host: '127.0.0.1' });
await new Promise((r) => connection.once('connect', r));
connection.setNoDelay(true);
let nextId = 0;
const evalDone = (code) => new Promise((resolve, reject) => {
  const id = `l${++nextId}`;
  let err = null;
  const onData = (reply) => {
    if (reply.id !== id) return;
    if (reply.err) err = reply.err;
    if ((reply.status ?? []).includes('done')) {
      connection.messageStream.removeListener('data', onData);
      err ? reject(new Error(err)) : resolve();
    }
  };
  connection.messageStream.on('data', onData);
  connection.send({ op: 'eval', code, id });
});

await new Promise((r) => setTimeout(r, 2000));
const before = { pages: await Promise.all(tabs.map(measure)), rss: rss() };
const started = Date.now();
for (let i = 0; i < patches; i++) {
  await evalDone(`(defn ggg [v] (+ v ${100000 + i}))`);
}
const sentMs = Date.now() - started;
// Every page must have loaded every patch.
for (const [i, tab] of tabs.entries()) {
  await tab.waitForFunction((want) => window.jankClient.stats().patches_loaded >= want, before.pages[i].loaded + patches, { timeout: 300000 });
}
const allMs = Date.now() - started;
const after = { pages: await Promise.all(tabs.map(measure)), rss: rss() };

const per = (a, b) => (a === null || b === null ? 'n/a' : ((b - a) / patches).toFixed(0));
console.log(`pages: ${pages}, patches: ${patches}`);
// Let the last page's start-up patches settle before the snapshot above counts.
console.log(`every page loaded every patch, none failed: ${after.pages.every((p, i) => p.loaded - before.pages[i].loaded >= patches && p.failed === before.pages[i].failed)}`);
console.log(`throughput: ${(patches / (sentMs / 1000)).toFixed(1)} patches/s to the first ack; all ${pages} pages done in ${(allMs / 1000).toFixed(1)} s (${((patches * pages) / (allMs / 1000)).toFixed(0)} page-loads/s)`);
console.log('| page | loads | failed | load median ms | wasm memory bytes/patch | table slots/patch | JS heap bytes/patch | runtime modules |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
after.pages.forEach((p, i) => {
  const b = before.pages[i];
  const slots = b.table === null || p.table === null ? 'n/a' : ((p.table - b.table - 1) / patches).toFixed(2);
  console.log(`| ${i} | ${p.loaded - b.loaded} | ${p.failed - b.failed} | ${p.median?.toFixed(2)} | ${per(b.wasm, p.wasm)} | ${slots} | ${per(b.heap, p.heap)} | ${p.runtime.loaded_modules} |`);
});
console.log(`server RSS: ${(before.rss / 1048576).toFixed(1)} MiB → ${(after.rss / 1048576).toFixed(1)} MiB (${per(before.rss, after.rss)} bytes/patch)`);

connection.end();
await browser.close();
server.kill();
process.exit(0);
