// The reference runtime (emcc MAIN_MODULE=2) and the patch compiler, in Node.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';

import { C_PRELUDE, adderSource, compilePatch, evalJank, loadRuntime, thunkSource } from './harness.mjs';

/** A thunk `user/probe` that calls user/ggg with 10, to observe the binding. */
const probe = await compilePatch(thunkSource('user/probe', 'CALL("user", "ggg", I(10))'));

for (const form of ['entry-symbol', 'seed']) {
  for (const compiler of ['fast', 'emcc']) {
    describe(`ABI form ${form}, ${compiler} compiler`, () => {
      let rt;
      before(async () => {
        rt = await loadRuntime(form);
        assert.equal(rt.load(probe.wasm, probe.entry_symbol), 0, rt.lastError());
      });

      it('detects the ABI form from the raw export parameter count', async () => {
        assert.equal(rt.rawExport('jank_hot_reload_load_patch').length, form === 'seed' ? 1 : 2);
      });

      it('rebinding user/ggg changes (ggg 10) from 58 to 59', async () => {
        const v1 = await compilePatch(adderSource('user/ggg', 48), { compiler });
        const v2 = await compilePatch(adderSource('user/ggg', 49), { compiler });
        assert.notEqual(v1.entry_symbol, v2.entry_symbol, 'each patch has its own entry symbol');
        assert.equal(rt.load(v1.wasm, v1.entry_symbol), 0, rt.lastError());
        assert.equal(rt.value('user/probe'), '58');
        assert.equal(rt.load(v2.wasm, v2.entry_symbol), 0, rt.lastError());
        assert.equal(rt.value('user/probe'), '59');
      });
    });
  }
}

describe('successive patches', () => {
  for (const form of ['entry-symbol', 'seed']) {
    it(`100 patches of one var all take effect (${form})`, async () => {
      const rt = await loadRuntime(form);
      assert.equal(rt.load(probe.wasm, probe.entry_symbol), 0, rt.lastError());
      for (let i = 0; i < 100; i++) {
        const patch = await compilePatch(adderSource('user/ggg', 1000 + i));
        assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
        assert.equal(rt.value('user/probe'), String(1010 + i), `patch ${i}`);
      }
      assert.equal(rt.stats().loaded_modules, 101);
    });
  }
});

describe('bad patches return -1 with a message and leave the previous binding working', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
    for (const p of [probe, await compilePatch(adderSource('user/ggg', 49))]) {
      assert.equal(rt.load(p.wasm, p.entry_symbol), 0, rt.lastError());
    }
  });

  const stillWorks = () => assert.equal(rt.value('user/probe'), '59');

  it('a missing entry symbol', async () => {
    const patch = await compilePatch(adderSource('user/ggg', 1));
    assert.equal(rt.load(patch.wasm, 'jank_patch_symbols_nosuchentry'), -1);
    assert.match(rt.lastError(), /entry symbol 'jank_patch_symbols_nosuchentry' not found/);
    stillWorks();
  });

  it('non-wasm bytes', async () => {
    assert.equal(rt.load(Buffer.from('this is not wasm at all'), 'jank_patch_symbols_x'), -1);
    assert.match(rt.lastError(), /not a WebAssembly module/);
    stillWorks();
  });

  it('truncated wasm', async () => {
    const patch = await compilePatch(adderSource('user/ggg', 2));
    assert.equal(rt.load(patch.wasm.subarray(0, 40), patch.entry_symbol), -1);
    assert.match(rt.lastError(), /dlopen failed/);
    stillWorks();
  });

  for (const signature of ['21', 'x', '', '-1', '1++']) {
    it(`an unsupported signature ${JSON.stringify(signature)}`, async () => {
      const patch = await compilePatch(`${C_PRELUDE}
static void *f(void *v) { return v; }
JANK_PATCH_SYMBOLS({ "user/ggg", "${signature}", (void *)f })`);
      assert.equal(rt.load(patch.wasm, patch.entry_symbol), -1);
      assert.match(rt.lastError(), /unsupported signature/);
      stillWorks();
    });
  }

  for (const name of ['noslash', '/ggg', 'user/', '']) {
    it(`a bad qualified name ${JSON.stringify(name)}`, async () => {
      const patch = await compilePatch(`${C_PRELUDE}
static void *f(void *v) { return v; }
JANK_PATCH_SYMBOLS({ "${name}", "1", (void *)f })`);
      assert.equal(rt.load(patch.wasm, patch.entry_symbol), -1);
      assert.match(rt.lastError(), /bad qualified name/);
      stillWorks();
    });
  }

  it('a half-bad patch changes nothing', async () => {
    const patch = await compilePatch(`${C_PRELUDE}
static void *f(void *v) { return jank_box_integer(0); }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)f }, { "user/other", "99", (void *)f })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), -1);
    stillWorks();
    assert.equal(rt.vars().user.includes('other'), false);
  });

  it('a patch defining one arity twice', async () => {
    const patch = await compilePatch(`${C_PRELUDE}
static void *f(void *v) { return v; }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)f }, { "user/ggg", "1", (void *)f })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), -1);
    assert.match(rt.lastError(), /defines arity 1 twice/);
    stillWorks();
  });

  it('a failed load does not count in the stats', async () => {
    assert.equal(rt.stats().loaded_modules, 2);
    assert.equal(rt.lastError() !== undefined, true);
  });
});

describe('get_stats', () => {
  it('counts modules and symbols, and escapes paths as JSON', async () => {
    const rt = await loadRuntime();
    const two = await compilePatch(`${C_PRELUDE}
static void *a(void) { return I(1); }
static void *b(void *x) { return x; }
JANK_PATCH_SYMBOLS({ "stats.ns/a", "0", (void *)a }, { "stats.ns/b", "1", (void *)b })`);
    const one = await compilePatch(adderSource('stats.ns/c', 1));
    const weird = '/patches/we"ird\\name\ttab.wasm';
    assert.equal(rt.load(two.wasm, two.entry_symbol), 0, rt.lastError());
    assert.equal(rt.load(one.wasm, one.entry_symbol, weird), 0, rt.lastError());
    const stats = rt.stats();
    assert.equal(stats.loaded_modules, 2);
    assert.equal(stats.registered_symbols, 3);
    assert.equal(stats.module_paths.length, 2);
    assert.equal(stats.module_paths[1], weird);
    assert.deepEqual(rt.vars()['stats.ns'], ['a', 'b', 'c']);
  });
});

describe('calls', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
  });

  // The runtime caches each (ns, name) pointer pair's var: a JS caller's
  // strings reuse one stack address, and an unmapped name finds its new var.
  it('a var found by name is the var of that name now', async () => {
    for (const form of ['(def va 1)', '(def vb 2)', '(defn target [] :old)', '(defn caller [] (target))']) {
      assert.equal((await evalJank(rt, form)).error, undefined, form);
    }
    const deref = (name) => rt.Module._jank_unbox_integer(rt.Module.ccall('jank_deref_var', 'number', ['string', 'string'], ['user', name]));
    assert.deepEqual([deref('va'), deref('vb'), deref('va')].map(Number), [1, 2, 1]);
    assert.equal(rt.value('user/caller'), ':old');
    for (const form of ["(ns-unmap 'user 'target)", '(defn target [] :new)']) {
      assert.equal((await evalJank(rt, form)).error, undefined, form);
    }
    assert.equal(rt.value('user/caller'), ':new');
  });

  it('supports every fixed arity from 0 to 20, and variadic', async () => {
    const params = (n) => Array.from({ length: n }, (_, i) => `void *a${i}`).join(', ') || 'void';
    const sum = (n) => Array.from({ length: n }, (_, i) => `jank_unbox_integer(a${i})`).join(' + ') || '0';
    const fns = Array.from({ length: 21 }, (_, n) =>
      `static void *f${n}(${params(n)}) { return I(${sum(n)}); }`).join('\n');
    const table = Array.from({ length: 21 }, (_, n) => `{ "arity/f", "${n}", (void *)f${n} }`).join(', ');
    const defs = await compilePatch(`${C_PRELUDE}
${fns}
static void *rest_count(void *a, void *b, void *more) { return CORE("vector", a, b, CORE("count", more)); }
JANK_PATCH_SYMBOLS(${table}, { "arity/v", "2+", (void *)rest_count })`);
    assert.equal(rt.load(defs.wasm, defs.entry_symbol), 0, rt.lastError());

    const calls = Array.from({ length: 21 }, (_, n) => {
      const args = Array.from({ length: n }, (_, i) => `I(${i + 1})`);
      return n === 0 ? 'jank_call_var("arity", "f", 0, 0)' : `CALL("arity", "f", ${args.join(', ')})`;
    });
    const check = await compilePatch(thunkSource('arity/check', `VEC(${calls.join(', ')})`));
    assert.equal(rt.load(check.wasm, check.entry_symbol), 0, rt.lastError());
    const expected = Array.from({ length: 21 }, (_, n) => (n * (n + 1)) / 2);
    assert.equal(rt.value('arity/check'), `[${expected.join(' ')}]`);

    const variadic = await compilePatch(thunkSource('arity/vcheck',
      'VEC(CALL("arity", "v", I(1), I(2)), CALL("arity", "v", I(1), I(2), I(3), I(4), I(5)))'));
    assert.equal(rt.load(variadic.wasm, variadic.entry_symbol), 0, rt.lastError());
    assert.equal(rt.value('arity/vcheck'), '[[1 2 0] [1 2 3]]');
  });

  it('a multi-arity function registers every arity from one patch', async () => {
    const patch = await compilePatch(`${C_PRELUDE}
static void *one(void *a) { return CORE("vector", K("one"), a); }
static void *two(void *a, void *b) { return CORE("vector", K("two"), a, b); }
static void *check(void) { return VEC(CALL("multi", "f", I(1)), CALL("multi", "f", I(1), I(2))); }
JANK_PATCH_SYMBOLS({ "multi/f", "1", (void *)one }, { "multi/f", "2", (void *)two },
                   { "multi/check", "0", (void *)check })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
    assert.equal(rt.value('multi/check'), '[[:one 1] [:two 1 2]]');
  });

  it('closures receive their environment', async () => {
    const patch = await compilePatch(`${C_PRELUDE}
static void *add_env(void *env, void *x) { return CORE("+", env, x); }
static void *check(void) {
  void *adder = jank_make_closure((void *)add_env, 1, I(100));
  return CORE("map", adder, VEC(I(1), I(2)));
}
JANK_PATCH_SYMBOLS({ "closure/check", "0", (void *)check })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
    assert.equal(rt.value('closure/check'), '(101 102)');
  });
});

describe('printing', () => {
  it('pr-str of every type', async () => {
    const rt = await loadRuntime();
    const patch = await compilePatch(thunkSource('print/all', `VEC(
      jank_nil_value(), jank_make_boolean(1), jank_make_boolean(0),
      I(42), I(-9007199254740993LL), jank_box_double(1.0), jank_box_double(-0.25), jank_box_double(1e300),
      S("q\\"uote\\\\ \\n"), jank_make_char('a'), jank_make_char('\\n'),
      K("kw"), jank_make_keyword("my.ns", "kw"), jank_make_symbol("", "sym"), jank_make_symbol("a.b", "c"),
      CORE("list", I(1), I(2)), VEC(I(1), jank_make_vector(0, 0)),
      jank_make_map(4, ARGS(K("a"), I(1), S("b"), jank_nil_value())),
      jank_make_set(2, ARGS(I(1), I(1))), jank_deref_var("clojure.core", "inc"),
      jank_make_list(0, 0))`));
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
    // A fn prints as the JVM prints it: its class, identity and toString.
    const printed = rt.value('print/all');
    const inc = /#object\[clojure\.core\$inc 0x([0-9a-f]+) "clojure\.core\$inc@\1"\]/;
    assert.match(printed, inc);
    assert.equal(printed.replace(inc, '#object[inc]'),
      '[nil true false 42 -9007199254740993 1.0 -0.25 1.0E300 "q\\"uote\\\\ \\n" \\a \\newline ' +
      ':kw :my.ns/kw sym a.b/c (1 2) [1 []] {:a 1, "b" nil} #{1} #object[inc] ()]');
  });
});

describe('clojure.core', () => {
  it('the starter functions', async () => {
    const rt = await loadRuntime();
    const patch = await compilePatch(`${C_PRELUDE}
static void *is_odd(void *x) { return CORE("odd?", x); }
static void *check(void) {
  void *v = VEC(I(1), I(2), I(3), I(4));
  void *m = CORE("hash-map", K("a"), I(1));
  return VEC(
    CORE("+", I(1), I(2), I(3)), CORE("-", I(10), I(4)), CORE("*", I(6), I(7)), CORE("/", I(20), I(5)),
    CORE("+", I(1), jank_box_double(0.5)), CORE("<", I(1), I(2), I(3)), CORE(">", I(1), I(2)),
    CORE("=", v, CORE("vector", I(1), I(2), I(3), I(4))), CORE("=", I(1), jank_box_double(1.0)),
    CORE("str", S("a"), I(1), K("k"), jank_nil_value(), VEC(S("s"))),
    CORE("get", m, K("a")), CORE("get", m, K("zz"), S("default")),
    CORE("assoc", m, K("b"), I(2)), CORE("conj", v, I(5)), CORE("conj", CORE("hash-set", I(1)), I(1)),
    CORE("count", v), CORE("first", v), CORE("rest", v), CORE("nth", v, I(2)),
    CORE("inc", I(41)), CORE("dec", I(43)),
    CORE("map", jank_deref_var("clojure.core", "inc"), v),
    CORE("filter", jank_make_fn_wrapper((void *)is_odd, 1), v),
    CORE("reduce", jank_deref_var("clojure.core", "+"), v),
    CORE("reduce", jank_deref_var("clojure.core", "+"), I(100), CORE("range", I(1000))));
}
JANK_PATCH_SYMBOLS({ "core/check", "0", (void *)check })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
    assert.equal(rt.value('core/check'),
      '[6 6 42 4 1.5 true false true false "a1:k[\\"s\\"]" 1 "default" {:b 2, :a 1} [1 2 3 4 5] #{1} ' +
      '4 1 (2 3 4) 3 42 42 (2 3 4 5) (1 3) 10 499600]');
  });

  it('println output is captured with the value', async () => {
    const rt = await loadRuntime();
    const patch = await compilePatch(thunkSource('out/hello', 'jank_println(2, ARGS(S("hello"), VEC(S("x"))))'));
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
    assert.deepEqual(rt.run('out/hello'), { ok: true, value: 'nil', out: 'hello [x]\n' });
    assert.ok(rt.printed.includes('hello [x]'), 'println also reaches stdout');
  });
});

describe('runtime errors are error values, never aborts', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
    const patch = await compilePatch(`${C_PRELUDE}
static void *one(void *x) { return x; }
static void *div0(void) { return CORE("/", I(1), I(0)); }
static void *arity(void) { return CALL("err", "one", I(1), I(2)); }
static void *nil_call(void) { return jank_call(jank_nil_value(), 0, 0); }
static void *missing(void) { return CALL("err", "nope", I(1)); }
static void *overflow(void) { return CORE("+", I(9223372036854775807LL), I(1)); }
static void *recurse(void) { return jank_call_var("err", "recurse", 0, 0); }
static void *thrown(void) { jank_throw_message("custom failure"); return 0; }
static void *fine(void) { return S("still fine"); }
JANK_PATCH_SYMBOLS({ "err/one", "1", (void *)one }, { "err/div0", "0", (void *)div0 },
  { "err/arity", "0", (void *)arity }, { "err/nil-call", "0", (void *)nil_call },
  { "err/missing", "0", (void *)missing }, { "err/overflow", "0", (void *)overflow },
  { "err/recurse", "0", (void *)recurse }, { "err/thrown", "0", (void *)thrown },
  { "err/fine", "0", (void *)fine })`);
    assert.equal(rt.load(patch.wasm, patch.entry_symbol), 0, rt.lastError());
  });

  const cases = {
    'err/div0': /Divide by zero/,
    'err/arity': /Wrong number of args \(2\) passed to: err\/one/,
    'err/nil-call': /Cannot call nil/,
    'err/missing': /Unable to resolve var: err\/nope/,
    'err/overflow': /long overflow/,
    'err/recurse': /StackOverflowError/,
    'err/thrown': /custom failure/,
    'err/no-such-var': /Unable to resolve var/,
  };
  for (const [name, pattern] of Object.entries(cases)) {
    it(`${name} gives an error and the module keeps working`, async () => {
      const result = rt.run(name);
      assert.equal(result.ok, false);
      assert.match(result.error, pattern);
      assert.equal(rt.value('err/fine'), '"still fine"');
    });
  }
});
