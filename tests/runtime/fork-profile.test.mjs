// The fork profile of the reference runtime: the jank fork's exact ABI
// (pfeodrippe/jank, branch nrepl) as a test target. It must behave as the
// fork does, silent failures included, so that what works against it works
// against a real jank.wasm.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { C_PRELUDE, compilePatch, loadRuntime } from './harness.mjs';

const FORK_HELPERS = ['jank_box_integer', 'jank_unbox_integer', 'jank_add_integers', 'jank_call_var',
  'jank_deref_var', 'jank_make_keyword', 'jank_make_symbol', 'jank_make_vector', 'jank_make_set',
  'jank_box_double', 'jank_unbox_double', 'jank_make_string', 'jank_println', 'jank_nil_value',
  'jank_make_fn_wrapper', 'jank_truthy'];

/** Calls a zero-arity var through the fork's own helper; the integer it returns. */
function callInt(rt, ns, name) {
  const result = rt.Module.ccall('jank_call_var', 'number', ['string', 'string', 'number', 'number'], [ns, name, 0, 0]);
  return Number(rt.Module._jank_unbox_integer(result));
}

async function patch(table, body = '') {
  return compilePatch(`${C_PRELUDE}\n${body}\nJANK_PATCH_SYMBOLS(${table})`);
}

describe('the fork profile', () => {
  it('exports the fork helpers and load/stats, and none of the extensions', async () => {
    const rt = await loadRuntime('fork');
    const exported = Object.keys(rt.Module.asm).filter((k) => k.startsWith('jank_')).sort();
    assert.deepEqual(exported, [...FORK_HELPERS, 'jank_hot_reload_get_stats', 'jank_hot_reload_load_patch'].sort());
    assert.equal(rt.rawExport('jank_hot_reload_load_patch').length, 2, 'only the two-argument load');
    for (const missing of ['jank_make_list', 'jank_make_map', 'jank_hot_reload_run_var', 'jank_gc_maybe']) {
      assert.equal(rt.Module[`_${missing}`], undefined, missing);
    }
  });

  it('skips a symbol it cannot register and still returns 0', async () => {
    const rt = await loadRuntime('fork');
    const p = await patch(`{ "user/ok", "0", (void *)ok }, { "user/five", "5", (void *)five },
      { "noslash", "0", (void *)ok }`,
    'static void *ok(void) { return I(7); }\nstatic void *five(void *a, void *b, void *c, void *d, void *e) { return a; }');
    assert.equal(rt.load(p.wasm, p.entry_symbol), 0, 'the load reports success');
    assert.equal(callInt(rt, 'user', 'ok'), 7);
    assert.equal(rt.stats().registered_symbols, 1, 'only user/ok registered');
    assert.equal(rt.Module.ccall('jank_deref_var', 'number', ['string', 'string'], ['user', 'five']),
      rt.Module._jank_nil_value(), 'user/five is not there');
    assert.ok(rt.printed.some((l) => /Unsupported arity: 5/.test(l)), rt.printed.join('\n'));
  });

  it('reads "2+" as arity 2, and lets the last of several arities win', async () => {
    const rt = await loadRuntime('fork');
    const p = await patch(`{ "user/f", "0", (void *)zero }, { "user/f", "2+", (void *)two }`,
      'static void *zero(void) { return I(0); }\nstatic void *two(void *a, void *b) { return I(2); }');
    assert.equal(rt.load(p.wasm, p.entry_symbol), 0);
    // Arity 0 was replaced: calling f with no arguments is now an arity error.
    const args = rt.Module._malloc(8);
    rt.Module.HEAP32[args >> 2] = rt.Module._jank_box_integer(1n);
    rt.Module.HEAP32[(args >> 2) + 1] = rt.Module._jank_box_integer(1n);
    const r = rt.Module.ccall('jank_call_var', 'number', ['string', 'string', 'number', 'number'], ['user', 'f', 2, args]);
    assert.equal(Number(rt.Module._jank_unbox_integer(r)), 2);
    assert.throws(() => callInt(rt, 'user', 'f'));
  });

  it('fails a load only when dlopen fails, the symbol is missing or the count is 0', async () => {
    const rt = await loadRuntime('fork');
    const p = await patch('{ "user/x", "0", (void *)x }', 'static void *x(void) { return I(1); }');
    assert.equal(rt.load(p.wasm, 'no_such_entry'), -1);
    assert.equal(rt.load(new TextEncoder().encode('not wasm'), p.entry_symbol), -1);
  });

  it('gives nil for a missing var or more than 5 arguments, and wraps arities 0 to 3 only', async () => {
    const rt = await loadRuntime('fork');
    const nil = rt.Module._jank_nil_value();
    const call = (ns, name, argc) => rt.Module.ccall('jank_call_var', 'number', ['string', 'string', 'number', 'number'], [ns, name, argc, 0]);
    assert.equal(call('user', 'nope', 0), nil);
    assert.equal(call('clojure.core', 'vector', 6), nil);
    const p = await patch('{ "user/w", "0", (void *)w }',
      'static void *four(void *a, void *b, void *c, void *d) { return a; }\nstatic void *w(void) { return jank_make_fn_wrapper((void *)four, 4); }');
    assert.equal(rt.load(p.wasm, p.entry_symbol), 0);
    assert.equal(call('user', 'w', 0), nil);
  });
});
