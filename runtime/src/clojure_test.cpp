// clojure.test's runtime, as Clojure's: the report multimethod and the
// methods that print FAIL and ERROR reports and the summary, the counters,
// and test-var, test-vars, test-ns, run-tests and fixtures. Its macros
// (deftest, is, testing, are, with-test-out, and run-tests and use-fixtures,
// which name the namespace they are compiled in) are jank, in the compiler's
// prelude, since macros run in the compiler.
#include "clojure_test.hpp"

#include "gc.hpp"
#include "invoke.hpp"
#include "lang.hpp"
#include "classes.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <algorithm>

namespace jhr
{
  namespace
  {
    var_obj *test_var(char const *name)
    {
      return intern_var("clojure.test", name);
    }

    object *kw(char const *name)
    {
      return keyword("", name);
    }

    /* Runs body with the var bound to value, as `binding` does. */
    template <typename F>
    object *with_binding(var_obj *var, object *value, F &&body)
    {
      push_bindings(map_from({ var, value }));
      struct pop
      {
        ~pop()
        {
          pop_bindings();
        }
      } popped;
      return body();
    }

    void println(std::string const &line)
    {
      write_output(line + "\n");
    }

    /* (report m) through the var, so a defmethod or a rebinding takes effect. */
    object *report(object *m)
    {
      return call(deref(test_var("report")), { m });
    }

    object *inc_report_counter(int argc, args_t argv)
    {
      check_arity("inc-report-counter", argc, 1, 1);
      auto *counters = deref(test_var("*report-counters*"));
      if(!truthy(counters))
      {
        return nil();
      }
      auto *bump = call(core("fnil"), { core("inc"), integer(0) });
      /* A ref, as JVM Clojure's clojure.test keeps them and code that binds
       * *report-counters* itself makes them: what its dosync and commute do. */
      if(counters->type == tag::cell && static_cast<cell_obj *>(counters)->kind == reference::ref)
      {
        auto *ref = static_cast<cell_obj *>(counters);
        ref->value = call(core("update"), { ref->value, argv[0], bump });
        return nil();
      }
      call(core("swap!"), { counters, core("update"), argv[0], bump });
      return nil();
    }

    /* "(outer-test inner-test) (file:line)": the tests running, outermost first. */
    object *testing_vars_str(int argc, args_t argv)
    {
      check_arity("testing-vars-str", argc, 1, 1);
      std::string names;
      for(auto *v : to_items(call(core("reverse"), { deref(test_var("*testing-vars*")) })))
      {
        names += (names.empty() ? "" : " ") + (v->type == tag::var ? static_cast<var_obj *>(v)->name : str(v));
      }
      auto *file = get(argv[0], kw("file"), nil());
      auto *line = get(argv[0], kw("line"), nil());
      auto text = "(" + names + ")";
      if(truthy(file) || truthy(line))
      {
        text += " (" + str(file) + ":" + str(line) + ")";
      }
      return string(text);
    }

    object *testing_contexts_str(int argc, args_t)
    {
      check_arity("testing-contexts-str", argc, 0, 0);
      std::string text;
      for(auto *context : to_items(call(core("reverse"), { deref(test_var("*testing-contexts*")) })))
      {
        text += (text.empty() ? "" : " ") + str(context);
      }
      return string(text);
    }

    /* An exception as clojure.stacktrace/print-cause-trace prints it, without
     * the frames the page does not keep: its class and message, its data on
     * the next line, then each cause. */
    std::string cause_trace(object *e)
    {
      std::string out;
      for(auto *t = e; t->type != tag::nil; t = call(core("ex-cause"), { t }))
      {
        auto *message = call(core("ex-message"), { t });
        out += (t == e ? "" : "\nCaused by: ") + class_name_of(t) + ": "
          + (message->type == tag::nil ? std::string{ "null" } : str(message));
        if(auto *data = call(core("ex-data"), { t }); data->type != tag::nil)
        {
          out += "\n" + pr_str(data);
        }
      }
      return out;
    }

    /* FAIL and ERROR reports: counted, then where, the testing contexts, the
     * message, and what was expected against what came. */
    object *report_problem(char const *counter, char const *kind, object *m)
    {
      object *name = kw(counter);
      inc_report_counter(1, &name);
      object *where = m;
      println(std::string{ "\n" } + kind + " in " + str(testing_vars_str(1, &where)));
      if(truthy(call(core("seq"), { deref(test_var("*testing-contexts*")) })))
      {
        println(str(testing_contexts_str(0, nullptr)));
      }
      if(auto *message = get(m, kw("message"), nil()); truthy(message))
      {
        println(str(message));
      }
      println("expected: " + pr_str(get(m, kw("expected"), nil())));
      auto *actual = get(m, kw("actual"), nil());
      println("  actual: " + (actual->type == tag::ex_info ? cause_trace(actual) : pr_str(actual)));
      return nil();
    }

    object *with_test_out(object *(*body)(object *), object *m)
    {
      return with_binding(intern_var("clojure.core", "*out*"), deref(test_var("*test-out*")), [&] { return body(m); });
    }

    object *report_default(int argc, args_t argv)
    {
      check_arity("report", argc, 1, 1);
      return with_test_out([](object *m) { write_output(pr_str(m) + "\n"); return nil(); }, argv[0]);
    }

    object *report_pass(int argc, args_t)
    {
      check_arity("report", argc, 1, 1);
      object *name = kw("pass");
      return inc_report_counter(1, &name);
    }

    object *report_fail(int argc, args_t argv)
    {
      check_arity("report", argc, 1, 1);
      return with_test_out([](object *m) { return report_problem("fail", "FAIL", m); }, argv[0]);
    }

    object *report_error(int argc, args_t argv)
    {
      check_arity("report", argc, 1, 1);
      return with_test_out([](object *m) { return report_problem("error", "ERROR", m); }, argv[0]);
    }

    object *report_summary(int argc, args_t argv)
    {
      check_arity("report", argc, 1, 1);
      return with_test_out(
        [](object *m) {
          auto const n = [&](char const *k) { return str(get(m, kw(k), integer(0))); };
          auto *assertions = call(core("+"), { get(m, kw("pass"), integer(0)), get(m, kw("fail"), integer(0)),
                                               get(m, kw("error"), integer(0)) });
          println("\nRan " + n("test") + " tests containing " + str(assertions) + " assertions.");
          println(n("fail") + " failures, " + n("error") + " errors.");
          return nil();
        },
        argv[0]);
    }

    object *report_begin_test_ns(int argc, args_t argv)
    {
      check_arity("report", argc, 1, 1);
      return with_test_out(
        [](object *m) {
          println("\nTesting " + str(call(core("ns-name"), { get(m, kw("ns"), nil()) })));
          return nil();
        },
        argv[0]);
    }

    object *report_nothing(int argc, args_t)
    {
      check_arity("report", argc, 1, 1);
      return nil();
    }

    /* (do-report m): what `is` calls; report, through the var. */
    object *do_report(int argc, args_t argv)
    {
      check_arity("do-report", argc, 1, 1);
      return report(argv[0]);
    }

    /* Fixtures by namespace name: {"ns" {:once [f ...], :each [f ...]}}. */
    var_obj *fixtures_var()
    {
      return test_var("*fixtures*");
    }

    object *fixtures_of(namespace_obj *ns, char const *kind)
    {
      return get(get(deref(fixtures_var()), string(ns->name), nil()), kw(kind), vector_from({}));
    }

    /* (use-fixtures* 'ns :once f ...) or (use-fixtures* 'ns :each f ...):
     * the use-fixtures macro names the namespace it is compiled in. */
    object *use_fixtures(int argc, args_t argv)
    {
      if(argc < 2 || (!equals(argv[1], kw("once")) && !equals(argv[1], kw("each"))))
      {
        fail("use-fixtures takes :once or :each, then fixture functions");
      }
      auto *name = string(str(call(core("ns-name"), { call(core("the-ns"), { argv[0] }) })));
      auto *fns = vector_from(std::vector<object *>(argv + 2, argv + argc));
      bind_root(fixtures_var(), call(core("assoc-in"), { deref(fixtures_var()), vector_from({ name, argv[1] }), fns }));
      return nil();
    }

    /* The runner's calls of fixtures, tests and its own thunks are
     * transparent to the collector (calls::invoke_inline, not invoke): each
     * frame of the runner keeps the objects it holds in gc::scoped_roots,
     * so a test's body may collect inside a long run, as code an eval runs
     * does. A call it makes for itself (report, meta) stays opaque. */

    /* env [fixtures i thunk]: thunk inside fixtures i.., each wrapping the rest. */
    object *in_fixtures(object *env, int, args_t)
    {
      auto *fixtures = env_at(env, 0);
      auto const i = static_cast<integer_obj *>(env_at(env, 1))->value;
      auto *thunk = env_at(env, 2);
      gc::scoped_roots const roots{ &env, &fixtures, &thunk };
      if(i >= static_cast<int64_t>(count(fixtures)))
      {
        return calls::invoke_inline(thunk, 0, nullptr);
      }
      object *rest_of = native_closure("fixture", in_fixtures, vector_from({ fixtures, integer(i + 1), thunk }));
      gc::scoped_roots const rest_root{ &rest_of };
      return calls::invoke_inline(static_cast<vector_obj *>(fixtures)->at(static_cast<size_t>(i)), 1, &rest_of);
    }

    object *around(object *fixtures, object *thunk)
    {
      gc::scoped_roots const roots{ &fixtures, &thunk };
      return in_fixtures(vector_from({ fixtures, integer(0), thunk }), 0, nullptr);
    }

    object *test_var_(int argc, args_t argv);

    /* env [v]: (test-var v). */
    object *test_var_thunk(object *env, int, args_t)
    {
      object *v = env_at(env, 0);
      return test_var_(1, &v);
    }

    /* env [vars each-fixtures]: each test var, inside the :each fixtures. */
    object *test_group_thunk(object *env, int, args_t)
    {
      gc::scoped_roots const roots{ &env };
      /* The items are vars: the namespace keeps them. */
      for(auto *v : to_items(env_at(env, 0)))
      {
        if(truthy(get(call(core("meta"), { v }), kw("test"), nil())))
        {
          around(env_at(env, 1), native_closure("test-var", test_var_thunk, vector_from({ v })));
        }
      }
      return nil();
    }

    /* (test-var v): runs v's :test function, counting it, and reports an
     * exception it lets out as an ERROR. */
    object *test_var_(int argc, args_t argv)
    {
      check_arity("test-var", argc, 1, 1);
      auto *v = argv[0];
      auto *t = get(call(core("meta"), { v }), kw("test"), nil());
      if(!truthy(t))
      {
        return nil();
      }
      gc::scoped_roots const roots{ &v, &t };
      return with_binding(test_var("*testing-vars*"), call(core("conj"), { deref(test_var("*testing-vars*")), v }), [&] {
        report(map_from({ kw("type"), kw("begin-test-var"), kw("var"), v }));
        object *name = kw("test");
        inc_report_counter(1, &name);
        auto const opaque = calls::opaque_frames;
        try
        {
          calls::invoke_inline(t, 0, nullptr);
        }
        catch(std::exception const &e)
        {
          calls::opaque_frames = opaque;
          report(map_from({ kw("type"), kw("error"), kw("message"), string("Uncaught exception, not in assertion."),
                            kw("expected"), nil(), kw("actual"), caught_value(e) }));
        }
        report(map_from({ kw("type"), kw("end-test-var"), kw("var"), v }));
        return nil();
      });
    }

    /* (test-vars vars): by namespace, inside its :once fixtures, each test
     * inside its :each fixtures. */
    object *test_vars(int argc, args_t argv)
    {
      check_arity("test-vars", argc, 1, 1);
      std::vector<std::pair<namespace_obj *, std::vector<object *>>> groups;
      for(auto *v : to_items(argv[0]))
      {
        if(v->type != tag::var)
        {
          fail("test-vars expects vars, got " + a_type_name(v));
        }
        auto *ns = static_cast<var_obj *>(v)->ns;
        auto at = std::find_if(groups.begin(), groups.end(), [&](auto const &g) { return g.first == ns; });
        if(at == groups.end())
        {
          groups.push_back({ ns, {} });
          at = groups.end() - 1;
        }
        at->second.push_back(v);
      }
      /* The vars in groups are the namespaces'; around roots what it is given. */
      for(auto const &[ns, vars] : groups)
      {
        around(fixtures_of(ns, "once"),
               native_closure("test-vars", test_group_thunk, vector_from({ vector_from(vars), fixtures_of(ns, "each") })));
      }
      return nil();
    }

    /* (test-all-vars ns): every var of ns with a :test function. */
    object *test_all_vars(int argc, args_t argv)
    {
      check_arity("test-all-vars", argc, 1, 1);
      auto *vars = call(core("vals"), { call(core("ns-interns"), { argv[0] }) });
      object *arg = vars->type == tag::nil ? vector_from({}) : vars;
      gc::scoped_roots const roots{ &arg };
      return test_vars(1, &arg);
    }

    /* (test-ns ns): its tests, between begin and end reports; the counts. */
    object *test_ns(int argc, args_t argv)
    {
      check_arity("test-ns", argc, 1, 1);
      auto *counters = call(core("atom"), { deref(test_var("*initial-report-counters*")) });
      gc::scoped_roots const roots{ &counters };
      return with_binding(test_var("*report-counters*"), counters, [&] {
        auto *ns = call(core("the-ns"), { argv[0] });
        gc::scoped_roots const ns_root{ &ns };
        report(map_from({ kw("type"), kw("begin-test-ns"), kw("ns"), ns }));
        /* A namespace's test-ns-hook, when it has one, runs its tests
         * instead, as it chooses (and without fixtures), as Clojure's does. */
        auto *hook = find_var(str(call(core("ns-name"), { ns })), "test-ns-hook");
        if(hook != nullptr && hook->bound)
        {
          calls::invoke_inline(deref(hook), 0, nullptr);
        }
        else
        {
          test_all_vars(1, &ns);
        }
        report(map_from({ kw("type"), kw("end-test-ns"), kw("ns"), ns }));
        return call(core("deref"), { counters });
      });
    }

    /* (run-tests* 'a 'b ...): the summary of their tests, reported. The
     * run-tests macro names the namespace it is compiled in when given none. */
    object *run_tests(int argc, args_t argv)
    {
      object *summary = map_from({});
      gc::scoped_roots const roots{ &summary };
      for(int i = 0; i < argc; ++i)
      {
        auto *counts = test_ns(1, &argv[i]);
        summary = call(core("merge-with"), { core("+"), summary, counts });
      }
      summary = assoc(summary, kw("type"), kw("summary"));
      report(summary);
      return summary;
    }

    /* (run-test-var v): one test, counted and summarized as run-tests
     * summarizes a namespace. */
    object *run_test_var(int argc, args_t argv)
    {
      check_arity("run-test-var", argc, 1, 1);
      auto *counters = call(core("atom"), { deref(test_var("*initial-report-counters*")) });
      gc::scoped_roots const roots{ &counters };
      return with_binding(test_var("*report-counters*"), counters, [&] {
        auto *ns = get(call(core("meta"), { argv[0] }), kw("ns"), nil());
        object *vars = vector_from({ argv[0] });
        gc::scoped_roots const more{ &ns, &vars };
        report(map_from({ kw("type"), kw("begin-test-ns"), kw("ns"), ns }));
        test_vars(1, &vars);
        report(map_from({ kw("type"), kw("end-test-ns"), kw("ns"), ns }));
        auto *summary = assoc(call(core("deref"), { counters }), kw("type"), kw("summary"));
        report(summary);
        return summary;
      });
    }

    /* (run-all-tests) and (run-all-tests re): run-tests of every namespace,
     * or of those whose name re matches. */
    object *run_all_tests(int argc, args_t argv)
    {
      check_arity("run-all-tests", argc, 0, 1);
      std::vector<object *> names;
      for(auto *ns : to_items(call(core("all-ns"), {})))
      {
        auto *name = call(core("ns-name"), { ns });
        if(argc == 0 || truthy(call(core("re-matches"), { argv[0], call(core("str"), { name }) })))
        {
          names.push_back(name);
        }
      }
      std::sort(names.begin(), names.end(), [](object *a, object *b) { return str(a) < str(b); });
      /* names is C++ memory, which no collection reads: the tests run
       * opaque (they collect after the call), as a native's callbacks do. */
      ++calls::opaque_frames;
      auto *summary = run_tests(static_cast<int>(names.size()), names.data());
      --calls::opaque_frames;
      return summary;
    }

    /* env [f1 f2 g]: (f2 g), the inner step of a composed fixture. */
    object *composed_inner(object *env, int, args_t)
    {
      return call(env_at(env, 1), { env_at(env, 2) });
    }

    /* env [f1 f2]: (fn [g] (f1 (fn [] (f2 g)))). */
    object *composed_fixture(object *env, int argc, args_t argv)
    {
      check_arity("compose-fixtures", argc, 1, 1);
      auto *inner = native_closure("compose-fixtures", composed_inner, env_of({ env_at(env, 0), env_at(env, 1), argv[0] }));
      return call(env_at(env, 0), { inner });
    }

    /* (compose-fixtures f1 f2): one fixture running f2 inside f1. */
    object *compose_fixtures(int argc, args_t argv)
    {
      check_arity("compose-fixtures", argc, 2, 2);
      return native_closure("compose-fixtures", composed_fixture, env_of({ argv[0], argv[1] }));
    }

    /* (join-fixtures fixtures): them composed, the first outermost. */
    object *join_fixtures(int argc, args_t argv)
    {
      check_arity("join-fixtures", argc, 1, 1);
      object *joined = native_closure("default-fixture", [](object *, int n, args_t a) {
        check_arity("default-fixture", n, 1, 1);
        return invoke(a[0], 0, nullptr);
      }, nil());
      for(auto *f : to_items(argv[0]))
      {
        object *pair[] = { joined, f };
        joined = compose_fixtures(2, pair);
      }
      return joined;
    }

    /* (function? x): x is a fn, or a symbol naming a var that holds one. */
    object *function_p(int argc, args_t argv)
    {
      check_arity("function?", argc, 1, 1);
      auto *x = argv[0];
      if(x->type == tag::symbol)
      {
        auto *v = call(core("resolve"), { x });
        if(v->type != tag::var || !truthy(call(core("bound?"), { v })))
        {
          return nil(); /* as Clojure's when-let answers */
        }
        x = call(core("deref"), { v });
      }
      return call(core("fn?"), { x });
    }

    object *successful_p(int argc, args_t argv)
    {
      check_arity("successful?", argc, 1, 1);
      auto const zero = [&](char const *k) { return equals(get(argv[0], kw(k), integer(0)), integer(0)); };
      return boolean(zero("fail") && zero("error"));
    }

    native_entry const test_fns[] = {
      { "inc-report-counter", inc_report_counter },
      { "testing-vars-str", testing_vars_str },
      { "testing-contexts-str", testing_contexts_str },
      { "do-report", do_report },
      { "use-fixtures*", use_fixtures },
      { "test-var", test_var_ },
      { "test-vars", test_vars },
      { "test-all-vars", test_all_vars },
      { "test-ns", test_ns },
      { "run-tests*", run_tests },
      { "successful?", successful_p },
      { "run-test-var", run_test_var },
      { "run-all-tests", run_all_tests },
      { "compose-fixtures", compose_fixtures },
      { "join-fixtures", join_fixtures },
      { "function?", function_p },
    };

    void add_report_method(object *report, char const *type, native_fn fn)
    {
      auto *f = new fn_obj{};
      f->name = std::string{ "clojure.test/report " } + type;
      f->native = fn;
      call(core("add-method*"), { report, kw(type), f });
    }
  }

  void install_clojure_test()
  {
    bind_root(test_var("*report-counters*"), nil());
    bind_root(test_var("*initial-report-counters*"),
              map_from({ kw("test"), integer(0), kw("pass"), integer(0), kw("fail"), integer(0), kw("error"), integer(0) }));
    bind_root(test_var("*testing-vars*"), list_from({}));
    bind_root(test_var("*testing-contexts*"), list_from({}));
    bind_root(test_var("*test-out*"), deref(intern_var("clojure.core", "*out*")));
    bind_root(test_var("*load-tests*"), boolean(true));
    bind_root(test_var("*stack-trace-depth*"), nil());
    bind_root(fixtures_var(), map_from({}));
    install_natives(test_fns, "clojure.test");
    /* (defmulti report :type): user code and editors add methods to it. */
    auto *report = new multi_fn_obj{ "clojure.test/report", kw("type"), kw("default") };
    bind_root(test_var("report"), report);
    add_report_method(report, "default", report_default);
    add_report_method(report, "pass", report_pass);
    add_report_method(report, "fail", report_fail);
    add_report_method(report, "error", report_error);
    add_report_method(report, "summary", report_summary);
    add_report_method(report, "begin-test-ns", report_begin_test_ns);
    for(auto const *quiet : { "end-test-ns", "begin-test-var", "end-test-var" })
    {
      add_report_method(report, quiet, report_nothing);
    }
  }
}
