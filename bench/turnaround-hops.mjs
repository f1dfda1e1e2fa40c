// Where one editor eval's time goes, hop by hop: an nREPL eval of a new defn
// (cold) and of the same source again (cached), through the demo page's ack
// to `done`, timed on three clocks that share the machine's wall time: the
// nREPL client's, the server's debug log, and the page's
// (performance.timeOrigin + now, 0.1 ms resolution).
//   node bench/turnaround-hops.mjs [evals]      (after bash scripts/build.sh release)
//   BACKEND=c node bench/turnaround-hops.mjs    the C backend's hops
//   NEW_VARS=1 node bench/turnaround-hops.mjs   each cold eval defines a new var
//   WWW=dir node bench/turnaround-hops.mjs      serve another build of the page
//                                               (an A/B of two clients)
import { launchChromium } from '../tests/lib/browser.mjs';
import { startJankServer } from './nrepl-servers.mjs';

const evals = Number(process.argv[2] ?? 100);
const newVars = Boolean(process.env.NEW_VARS);
const warmup = 10;
const httpPort = 7973;

const { server, connection } = await startJankServer(httpPort, ['--backend', process.env.BACKEND ?? 'wasm'],
  { logLevel: 'warn,jank_hot_reload_server=debug', stderr: 'pipe' });

/** Milliseconds since the epoch of an RFC 3339 time with microseconds. */
function wallMs(iso) {
  const m = iso.match(/^(.*\.\d{3})(\d*)Z$/);
  return m ? Date.parse(`${m[1]}Z`) + Number(`0.${m[2] || '0'}`) : Date.parse(iso);
}

// The server's debug lines: "<RFC 3339 time> DEBUG <message> id=<id>".
const serverTimes = new Map();
let logBuffer = '';
server.stderr.on('data', (chunk) => {
  logBuffer += String(chunk).replace(/\x1b\[[0-9;]*m/g, '');
  const lines = logBuffer.split('\n');
  logBuffer = lines.pop();
  for (const line of lines) {
    const m = line.match(/^(\S+Z)\s+DEBUG .*?(eval started|patch sent|ack received|nREPL request|nREPL reply written).*?\bid=(\S+)/);
    if (!m) continue;
    serverTimes.set(`${m[3]} ${m[2]}`, wallMs(m[1]));
  }
});
const browser = await launchChromium();
const page = await browser.newPage();
// The page's own clock at the socket: when a patch frame arrives, when an ack leaves.
await page.addInitScript(() => {
  window.__hops = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (e) => {
      if (typeof e.data !== 'string') window.__hops.push(['frame', performance.timeOrigin + performance.now()]);
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      if (String(data).includes('"patch-ack"')) window.__hops.push(['ack', performance.timeOrigin + performance.now()]);
      return send(data);
    };
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
});
await page.goto(`http://127.0.0.1:${httpPort}/`);
await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 60000 });
await page.evaluate(() => { window.__hops = []; });

let nextId = 0;
const clientTimes = new Map();
function evalTimed(code) {
  const id = `hop${++nextId}`;
  return new Promise((resolve, reject) => {
    const onData = (reply) => {
      if (reply.id !== id) return;
      if (reply.err) reject(new Error(reply.err));
      if ((reply.status ?? []).includes('done')) {
        clientTimes.set(`${id} done`, performance.timeOrigin + performance.now());
        connection.messageStream.removeListener('data', onData);
        resolve(id);
      }
    };
    connection.messageStream.on('data', onData);
    clientTimes.set(`${id} sent`, performance.timeOrigin + performance.now());
    connection.send({ op: 'eval', code, id });
  });
}

const ids = { cold: [], cached: [] };
for (let i = 0; i < evals + warmup; i++) {
  const cold = await evalTimed(`(defn ${newVars ? `ggg${i}` : 'ggg'} [v] (+ v ${1000 + i}))`);
  const cached = await evalTimed('(defn ggg [v] (+ v 1))');
  if (i >= warmup) {
    ids.cold.push(cold);
    ids.cached.push(cached);
  }
}
await new Promise((r) => setTimeout(r, 200)); // the last log lines
const pageHops = await page.evaluate(() => window.__hops);
// Every eval sends one patch and gets one ack, in order.
const frames = pageHops.filter(([k]) => k === 'frame').map(([, t]) => t).slice(-2 * (evals + warmup));
const acks = pageHops.filter(([k]) => k === 'ack').map(([, t]) => t).slice(-2 * (evals + warmup));
const order = Array.from({ length: nextId }, (_, i) => `hop${i + 1}`);
const pageOf = (id) => order.indexOf(id);

const hops = [
  ['nREPL client → server', (id) => serverTimes.get(`${id} nREPL request`) - clientTimes.get(`${id} sent`)],
  ['server: front end, codegen, frame', (id) => serverTimes.get(`${id} patch sent`) - serverTimes.get(`${id} eval started`)],
  ['server → page', (id) => frames[pageOf(id)] - serverTimes.get(`${id} patch sent`)],
  ['page: load and ack', (id) => acks[pageOf(id)] - frames[pageOf(id)]],
  ['page → server', (id) => serverTimes.get(`${id} ack received`) - acks[pageOf(id)]],
  ['server: ack → reply written', (id) => serverTimes.get(`${id} nREPL reply written`) - serverTimes.get(`${id} ack received`)],
  ['server → nREPL client', (id) => clientTimes.get(`${id} done`) - serverTimes.get(`${id} nREPL reply written`)],
  ['total', (id) => clientTimes.get(`${id} done`) - clientTimes.get(`${id} sent`)],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)];
console.log(`| hop | cold median ms | cold p90 ms | cached median ms | cached p90 ms |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const [name, measure] of hops) {
  const row = ['cold', 'cached'].flatMap((kind) => {
    const xs = ids[kind].map(measure).filter(Number.isFinite);
    return xs.length ? [median(xs).toFixed(2), p90(xs).toFixed(2)] : ['–', '–'];
  });
  console.log(`| ${name} | ${row.join(' | ')} |`);
}
await browser.close();
connection.end();
server.kill();
