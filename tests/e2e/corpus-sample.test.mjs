// A sample of the corpus (tests/corpus, jank's layout) evaluated the way a
// user's page does: through the real server's WebSocket, compiled, pushed and
// run in the demo page in headless Chromium. The whole corpus runs under Node
// (tests/corpus/layout.test.mjs); this shows the browser agrees.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { repoRoot as root, startServer } from '../lib/server.mjs';
import { testFiles } from '../corpus/layout.mjs';

const port = 7925;
// Every seventh file, and every throw- file: all areas and all three kinds.
const sample = testFiles(path.join(root, 'tests/corpus')).filter((f, i) => i % 7 === 0 || f.kind === 'throw');
let server;
let browser;
let page;

before(async () => {
  ({ server } = await startServer(['--port', String(port), '--www', 'www', '--log-level', 'error', '--no-nrepl']));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('value').textContent === '59', null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

describe('a sample of the corpus in Chromium', () => {
  it('samples at least 50 programs of every kind', () => {
    assert.ok(sample.length >= 50, `${sample.length} programs`);
    for (const kind of ['pass', 'fail', 'throw']) assert.ok(sample.some((f) => f.kind === kind), kind);
  });

  for (const test of sample) {
    it(test.name, async () => {
      const code = `(in-ns 'user) ${fs.readFileSync(test.file, 'utf8')}`;
      const result = await page.evaluate((c) => window.jankClient.eval(c, { ns: 'user' }), code);
      const described = result.ok ? `value ${result.value}` : `${result.error.phase} error: ${result.error.message}`;
      if (test.kind === 'pass') assert.ok(result.ok && result.value === ':success', `${test.name}: ${described}`);
      if (test.kind === 'fail') assert.ok(!result.ok, `${test.name}: ${described}`);
      if (test.kind === 'throw') {
        const compileError = !result.ok && ['read', 'analyze'].includes(result.error.phase);
        const threwSuccess = !result.ok && result.error.phase === 'run' && result.error.message === ':success';
        assert.ok(compileError || threwSuccess, `${test.name}: ${described}`);
      }
    });
  }
});
