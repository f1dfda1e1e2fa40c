// The npm package as a user gets it: `npm pack`, installed into a fresh
// project, imported by name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('npm pack gives an installable package exporting init and connect', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jank-hot-reload-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim();
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', path.join(dir, tarball)], { cwd: app });

  const installed = path.join(app, 'node_modules/jank-hot-reload');
  for (const file of ['pkg/jank_hot_reload.js', 'pkg/jank_hot_reload_bg.wasm', 'pkg/jank_hot_reload.d.ts']) {
    assert.ok(fs.existsSync(path.join(installed, file)), `${file} is in the package`);
  }
  const types = fs.readFileSync(path.join(installed, 'pkg/jank_hot_reload.d.ts'), 'utf8');
  for (const name of ['ConnectOptions', 'export function connect', 'loadPatchFrame', 'EvalResult']) {
    assert.ok(types.includes(name), `the typings declare ${name}`);
  }
  const wasm = fs.readFileSync(path.join(installed, 'pkg/jank_hot_reload_bg.wasm'));
  assert.ok(WebAssembly.validate(wasm), 'the shipped client is valid wasm');

  const client = await import(path.join(installed, 'pkg/jank_hot_reload.js'));
  assert.equal(typeof client.default, 'function', 'init is the default export');
  assert.equal(typeof client.connect, 'function');
  // Instantiate the shipped wasm for real (Node cannot fetch a file: URL, so pass the bytes).
  await client.default({ module_or_path: wasm });
  assert.equal(client.protocolVersion(), 1);
});

// Issue 13's budget for the client as shipped (scripts/build.sh's output).
const CLIENT_WASM_BUDGET = 150_000;

test('the shipped client .wasm stays within its 150 KB budget, with short import names', () => {
  const wasm = fs.readFileSync(path.join(root, 'pkg/jank_hot_reload_bg.wasm'));
  assert.ok(
    wasm.length <= CLIENT_WASM_BUDGET,
    `pkg/jank_hot_reload_bg.wasm is ${wasm.length} bytes, over its ${CLIENT_WASM_BUDGET}-byte budget ` +
      '(bench/RESULTS.md, "Client size", says where the bytes go and how they were measured)',
  );
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
  const longest = Math.max(...imports.map((i) => i.module.length + i.name.length));
  assert.ok(longest <= 4, `import names are minified (scripts/minify-client-names.mjs); the longest is ${longest} characters`);
});
