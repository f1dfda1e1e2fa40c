// The corpus in jank's own test layout (tests/corpus/<area>/<form>/pass-|fail-|throw-*.jank):
// every file compiled by the built-in compiler, loaded into the reference
// runtime under Node, and checked as jank's runner checks it (see layout.mjs).
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadRuntime } from '../runtime/harness.mjs';
import { runTestFile, testFiles } from './layout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = testFiles(here);

describe('the corpus, in jank layout', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
  });

  it('has at least 300 programs, of every kind', () => {
    assert.ok(files.length >= 300, `${files.length} programs`);
    for (const kind of ['pass', 'fail', 'throw']) {
      assert.ok(files.some((f) => f.kind === kind), `no ${kind}- files`);
    }
  });

  for (const test of files) {
    it(test.name, async () => {
      const { ok, detail } = await runTestFile(rt, test);
      assert.ok(ok, `${test.name}: ${detail}`);
    });
  }
});
