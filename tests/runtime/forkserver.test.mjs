// The compile pipeline's fork servers (server/native/forkserver.c) end with
// the server that started them, even when it is killed and cannot stop them:
// a dev server killed with SIGKILL, or a test process that exits without
// dropping its pipeline, left clang and wasm-ld waiting forever.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { it } from 'node:test';

import { adderSource, repoRoot } from './harness.mjs';

const bin = process.env.JANK_HOT_RELOAD_BIN ?? path.join(repoRoot, 'target/debug/jank-hot-reload');

/** Whether pid is a process that has not exited (a zombie has). */
function running(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The running children of pid. */
function childrenOf(pid) {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && running(p);
    } catch {
      return false;
    }
  });
}

it('a killed server leaves no fork server behind: clang and wasm-ld exit within seconds', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-forkserver-'));
  try {
    const file = path.join(dir, 'p.c');
    fs.writeFileSync(file, adderSource('user/ggg', 1));
    const server = spawn(bin, ['compile-server', '--compiler', 'fast'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const answer = new Promise((resolve) => {
      readline.createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    });
    server.stdin.write(`${JSON.stringify({ file, output: path.join(dir, 'p.wasm') })}\n`);
    const compiled = await answer;
    assert.ok(compiled.ok, JSON.stringify(compiled.error));
    const forkServers = childrenOf(server.pid);
    assert.ok(forkServers.length >= 2, `clang's and wasm-ld's fork servers run (children: ${forkServers})`);

    server.kill('SIGKILL');
    const deadline = Date.now() + 10000;
    while (forkServers.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(forkServers.filter(running), [], 'every fork server exited');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
