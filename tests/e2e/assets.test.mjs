// Stylesheets and pages under the served root reload in the page, as in
// figwheel and Vite: a changed .css swaps in place (the page keeps its
// state), a changed .html reloads the page that shows it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/browser.mjs';
import { repoRoot, startServer } from '../lib/server.mjs';

const port = 7927;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-assets-'));
let server;
let browser;

before(async () => {
  // A copy of the demo with a stylesheet of its own.
  const www = path.join(repoRoot, 'www');
  fs.mkdirSync(path.join(root, 'generated'));
  for (const file of fs.readdirSync(path.join(www, 'generated'))) {
    const from = path.join(www, 'generated', file);
    if (fs.statSync(from).isFile()) fs.copyFileSync(from, path.join(root, 'generated', file));
  }
  fs.copyFileSync(path.join(www, 'demo.jank'), path.join(root, 'demo.jank'));
  const html = fs.readFileSync(path.join(www, 'index.html'), 'utf8')
    .replace('</head>', '  <link rel="stylesheet" href="style.css">\n</head>');
  fs.writeFileSync(path.join(root, 'index.html'), html);
  fs.writeFileSync(path.join(root, 'style.css'), 'body { background-color: rgb(1, 2, 3); }\n');
  ({ server } = await startServer(['--port', String(port), '--www', root, '--log-level', 'warn', '--no-nrepl']));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('a changed stylesheet swaps in without a reload; a changed page reloads', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.demoState?.balls === 12, null, { timeout: 30000 });
  assert.equal(await background(page), 'rgb(1, 2, 3)');
  await page.evaluate(() => { window.stateBeforeReload = 'kept'; });

  fs.writeFileSync(path.join(root, 'style.css'), 'body { background-color: rgb(4, 5, 6); }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)', null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.stateBeforeReload), 'kept', 'the page was not reloaded');

  // An asset nothing links to changes nothing.
  fs.writeFileSync(path.join(root, 'other.css'), 'body { background-color: red; }\n');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await background(page), 'rgb(4, 5, 6)');

  fs.appendFileSync(path.join(root, 'index.html'), '\n<!-- edited -->\n');
  await page.waitForFunction(() => window.stateBeforeReload === undefined && window.demoState?.balls === 12, null, { timeout: 30000 });
  assert.equal(await background(page), 'rgb(4, 5, 6)', 'the reloaded page has the current stylesheet');
});
