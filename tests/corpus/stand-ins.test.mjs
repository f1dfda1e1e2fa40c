// The wasm backend's stand-ins against the helpers they stand in for: every
// corpus program compiled for a page that lacks jank_make_boolean,
// jank_make_char, jank_make_list, jank_make_map, jank_make_closure, jank_call,
// jank_set_var_root and jank_var (as the jank fork's runtime does), so that the patch builds them
// through clojure.core, must give what it gives with the helpers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { evalJank, loadRuntime, repoRoot } from '../runtime/harness.mjs';
import { testFiles } from './layout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = testFiles(here);

const outcome = (r) => (r.error === undefined ? `value ${r.value}` : `${r.phase} error: ${r.error}`);

/** The protocol's list `name` (protocol/src/capabilities.rs). */
function listed(name) {
  const source = fs.readFileSync(path.join(repoRoot, 'protocol/src/capabilities.rs'), 'utf8');
  const start = source.indexOf(`pub const ${name}`);
  return [...source.slice(start, source.indexOf('];', start)).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

const stoodIn = ['jank_make_boolean', 'jank_make_char', 'jank_make_list', 'jank_make_map', 'jank_make_closure', 'jank_call',
  'jank_set_var_root', 'jank_var'];

const withoutThem = {
  helpers: listed('HELPERS').filter((h) => !stoodIn.includes(h)),
  extensions: listed('EXTENSIONS'),
  limits: { max_arity: 20, variadic: true, multi_arity: true, fn_wrapper_max_arity: 20 },
};

describe('stand-ins against the helpers, program by program', () => {
  const runtimes = {};
  const refusedByName = [];
  after(() => {
    assert.ok(refusedByName.length <= 5, `refused: ${refusedByName.join(', ')}`);
  });
  before(async () => {
    assert.equal(withoutThem.helpers.length, listed('HELPERS').length - stoodIn.length, 'every stood-in helper is in the protocol');
    runtimes.helpers = await loadRuntime();
    runtimes.standIns = await loadRuntime();
  });

  for (const test of files) {
    it(test.name, async () => {
      const source = `(in-ns 'user) ${fs.readFileSync(test.file, 'utf8')}`;
      const helpers = await evalJank(runtimes.helpers, source, { backend: 'wasm' });
      const standIns = await evalJank(runtimes.standIns, source, { backend: 'wasm', capabilities: withoutThem });
      if (standIns.phase === 'compile' && /a closure with several arities/.test(standIns.error)) {
        // The one thing the stand-ins refuse, by name, before anything loads.
        refusedByName.push(test.name);
        return;
      }
      assert.equal(outcome(standIns), outcome(helpers));
    });
  }
});
