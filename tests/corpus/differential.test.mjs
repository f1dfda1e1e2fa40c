// Both backends against each other: every corpus program compiled by the wasm
// backend (the side module written directly) and by the C backend (clang and
// wasm-ld), each loaded into its own reference runtime, must print the same
// value or fail in the same phase with the same message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { evalJank, loadRuntime } from '../runtime/harness.mjs';
import { testFiles } from './layout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = testFiles(here);

const outcome = (r) => (r.error === undefined ? `value ${r.value}` : `${r.phase} error: ${r.error}`);

describe('the wasm backend against the C backend, program by program', () => {
  const runtimes = {};
  before(async () => {
    runtimes.wasm = await loadRuntime();
    runtimes.c = await loadRuntime();
  });

  for (const test of files) {
    it(test.name, async () => {
      const source = `(in-ns 'user) ${fs.readFileSync(test.file, 'utf8')}`;
      const wasm = await evalJank(runtimes.wasm, source, { backend: 'wasm' });
      const c = await evalJank(runtimes.c, source, { backend: 'c' });
      assert.equal(outcome(wasm), outcome(c));
    });
  }
});
