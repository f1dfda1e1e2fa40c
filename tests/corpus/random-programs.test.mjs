// Random kernel programs (proptest's generator, compiler/examples/random_programs.rs)
// through both backends: each batch is one unit compiled by the wasm backend and
// by the C backend, run in its own runtime, and the printed values must agree,
// program by program. 10,000 programs by default (JANK_RANDOM_PROGRAMS), from a
// fixed seed (JANK_RANDOM_SEED) so a failure replays.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';

import { evalJank, loadRuntime, repoRoot } from '../runtime/harness.mjs';

const count = Number(process.env.JANK_RANDOM_PROGRAMS ?? 10000);
const seed = Number(process.env.JANK_RANDOM_SEED ?? 1);
const batchSize = 250;

const programs = execFileSync('cargo', ['run', '-q', '-p', 'jank-hot-reload-compiler', '--example', 'random_programs', '--', String(count), String(seed)], {
  cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28,
}).trim().split('\n');

/** One unit: every program's value, or its error, in a vector printed one per line. */
const unitOf = (batch) => `(in-ns 'user) (clojure.string/join "\\n" [${batch
  .map((p) => `(pr-str (try ${p} (catch Exception e [:error (ex-message e)])))`)
  .join('\n')}])`;

describe(`${count} random programs (seed ${seed}), the wasm backend against the C backend`, () => {
  const runtimes = {};
  before(async () => {
    runtimes.wasm = await loadRuntime();
    runtimes.c = await loadRuntime();
  });

  it('generated them all', () => assert.equal(programs.length, count));

  for (let start = 0; start < count; start += batchSize) {
    it(`programs ${start} to ${Math.min(start + batchSize, count) - 1}`, async () => {
      const batch = programs.slice(start, start + batchSize);
      const source = unitOf(batch);
      const wasm = await evalJank(runtimes.wasm, source, { backend: 'wasm' });
      const c = await evalJank(runtimes.c, source, { backend: 'c' });
      assert.equal(wasm.error, undefined, `wasm: ${wasm.phase} error: ${wasm.error}`);
      assert.equal(c.error, undefined, `c: ${c.phase} error: ${c.error}`);
      const values = { wasm: JSON.parse(wasm.value).split('\n'), c: JSON.parse(c.value).split('\n') };
      for (let i = 0; i < batch.length; i++) {
        assert.equal(values.wasm[i], values.c[i], `program ${start + i}: ${batch[i]}`);
      }
    });
  }
});
