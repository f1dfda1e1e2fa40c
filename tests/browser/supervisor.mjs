// Runs the dev server for the browser tests and restarts it on request, so a
// test in the page can prove the client survives a server restart.
//
//   node tests/browser/supervisor.mjs <server args...>
//   POST http://127.0.0.1:$CONTROL_PORT/restart  → kills the server, starts it again after 500 ms
import { spawn } from 'node:child_process';
import http from 'node:http';

const bin = process.env.JANK_HOT_RELOAD_BIN;
const args = process.argv.slice(2);
const controlPort = Number(process.env.CONTROL_PORT ?? 7902);
let server;
let starts = 0;

function start() {
  starts += 1;
  server = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

start();
// A second server that speaks another protocol version, for the mismatch test.
const mismatched = process.env.MISMATCH_PORT
  ? spawn(bin, [...args.map((a, i) => (args[i - 1] === '--port' ? process.env.MISMATCH_PORT : a)), '--speak-protocol', '999'],
    { stdio: ['ignore', 'ignore', 'inherit'] })
  : null;
http.createServer((req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'POST' && req.url === '/restart') {
    server.once('exit', () => setTimeout(start, 500));
    server.kill('SIGKILL');
    res.end(JSON.stringify({ restarting: true, starts }));
    return;
  }
  if (req.url === '/starts') {
    res.end(JSON.stringify({ starts }));
    return;
  }
  res.statusCode = 404;
  res.end();
}).listen(controlPort, '127.0.0.1');

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.kill('SIGKILL');
    mismatched?.kill('SIGKILL');
    process.exit(0);
  });
}
