// scripts/check-runtime.mjs: what a jank.js/jank.wasm build offers, checked
// on the reference runtime's profiles, an ES6 factory, and a broken Module.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXTENSIONS, HELPERS, checkRuntime } from '../../scripts/check-runtime.mjs';
import { repoRoot } from './harness.mjs';

const build = (name) => path.join(repoRoot, 'runtime/build', name);
const script = path.join(repoRoot, 'scripts/check-runtime.mjs');

/** The names in one `pub const NAME: &[&str] = &[...]` of the protocol. */
function protocolList(name) {
  const source = fs.readFileSync(path.join(repoRoot, 'protocol/src/capabilities.rs'), 'utf8');
  const body = source.split(`pub const ${name}: &[&str] = &[`)[1].split('];')[0];
  return [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

describe('check-runtime', () => {
  it('knows the protocol\'s helpers and extensions', () => {
    assert.deepEqual(HELPERS, protocolList('HELPERS'));
    assert.deepEqual(EXTENSIONS, protocolList('EXTENSIONS'));
  });

  it('finds everything in the reference runtime, limits reported', async () => {
    const r = await checkRuntime(build('jank_runtime.js'));
    assert.equal(r.abi, 'entry-symbol');
    assert.deepEqual(r.missing_helpers, []);
    assert.deepEqual(r.missing_extensions, []);
    assert.equal(r.limits.max_arity, 20);
    assert.deepEqual(r.problems, []);
  });

  it('finds the fork\'s helpers only in the fork profile, and assumes its limits', async () => {
    const r = await checkRuntime(build('jank_runtime_fork.js'));
    assert.ok(r.missing_helpers.includes('jank_make_list') && r.missing_helpers.includes('jank_make_closure'));
    assert.deepEqual(r.extensions, []);
    assert.equal(r.limits.max_arity, 4);
    assert.match(r.limits_from, /assumed/);
    const printed = execFileSync('node', [script, build('jank_runtime_fork.js')], { encoding: 'utf8' });
    assert.match(printed, /missing jank_make_closure \(needed for fns that close over locals; the wasm backend stands in for it through partial/);
    assert.match(printed, /missing jank_try \(needed for try\)\n/);
    assert.match(printed, /ready for hot reload/);
  });

  it('reads the seed form and an ES6 MODULARIZE factory', async () => {
    assert.equal((await checkRuntime(build('jank_runtime_seed.js'))).abi, 'seed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-check-'));
    const es6 = path.join(dir, 'jank.mjs');
    fs.writeFileSync(es6, `import { createRequire } from 'node:module';
export default createRequire(import.meta.url)(${JSON.stringify(build('jank_runtime.js'))});\n`);
    const r = await checkRuntime(es6, build('jank_runtime.wasm'));
    assert.deepEqual(r.problems, []);
    fs.rmSync(dir, { recursive: true });
  });

  it('names the flag for each missing piece and exits 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhr-check-'));
    const broken = path.join(dir, 'jank.mjs');
    fs.writeFileSync(broken, 'export default async () => ({ wasmExports: {}, ccall() {} });\n');
    fs.writeFileSync(path.join(dir, 'jank.wasm'), '');
    const run = spawnSync('node', [script, broken], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /FS is not on the Module: add it to -sEXPORTED_RUNTIME_METHODS/);
    assert.match(run.stdout, /UTF8ToString is not on the Module/);
    assert.match(run.stdout, /jank_hot_reload_load_patch is not exported/);
    fs.rmSync(dir, { recursive: true });
  });
});
