// The parts of clojure.core that the compiler's macros expand into: exceptions
// (throw, try, ex-info), atoms and volatiles, lazy seqs, delays, dynamic
// bindings, var interning, and output capture for with-out-str.
#include "lang.hpp"

#include "atomics.hpp"

#include "classes.hpp"
#include "gc.hpp"
#include "invoke.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"
#include "text.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <new>
#include <map>

namespace jhr
{
  void validate(cell_obj *c, object *value)
  {
    if(c->validator != nullptr && !truthy(invoke(c->validator, 1, &value)))
    {
      fail("Invalid reference state");
    }
  }

  /* Sets an atom's value, runs its validator first and its watches after. */
  object *set_cell(cell_obj *c, object *value)
  {
    validate(c, value);
    auto *old = c->value;
    c->value = value;
    for(auto const &[key, fn] : std::vector<std::pair<object *, object *>>{ c->watches })
    {
      object *args[] = { key, c, old, value };
      invoke(fn, 4, args);
    }
    return value;
  }

  namespace
  {

    cell_obj *as_cell(object *o, char const *op)
    {
      if(o->type != tag::cell)
      {
        fail(std::string{ op } + " expects an atom or volatile, got " + type_name(o));
      }
      return static_cast<cell_obj *>(o);
    }

    /* swap! and reset! change atoms only: a ref changes in dosync, an agent by send. */
    cell_obj *as_atom(object *o, char const *op)
    {
      auto *c = as_cell(o, op);
      if(c->is_atom && c->kind != reference::atom)
      {
        fail(std::string{ op } + " expects an atom, got " + a_type_name(o)
             + (c->kind == reference::ref ? " (change a ref with alter or ref-set in dosync)"
                                          : " (change an agent with send)"));
      }
      return c;
    }


    object *atom(int argc, args_t argv)
    {
      if(argc < 1 || argc % 2 == 0)
      {
        fail("atom takes a value and options: (atom x :validator f :meta m)");
      }
      auto *c = new cell_obj{ argv[0], true };
      for(int i = 1; i + 1 < argc; i += 2)
      {
        if(equals(argv[i], keyword("", "validator")))
        {
          c->validator = truthy(argv[i + 1]) ? argv[i + 1] : nullptr;
        }
        else if(equals(argv[i], keyword("", "meta")))
        {
          call(core("reset-meta!"), { c, argv[i + 1] });
        }
      }
      validate(c, argv[0]);
      return c;
    }

    object *volatile_(int argc, args_t argv)
    {
      check_arity("volatile!", argc, 1, 1);
      return new cell_obj{ argv[0], false };
    }

    object *reset(int argc, args_t argv)
    {
      check_arity("reset!", argc, 2, 2);
      return set_cell(as_atom(argv[0], "reset!"), argv[1]);
    }

    object *vreset(int argc, args_t argv)
    {
      check_arity("vreset!", argc, 2, 2);
      return as_cell(argv[0], "vreset!")->value = argv[1];
    }

    /* (swap! a f x y): f of the current value and the extra arguments. */
    object *swapped(cell_obj *c, int argc, args_t argv)
    {
      std::vector<object *> args{ c->value };
      args.insert(args.end(), argv + 2, argv + argc);
      return invoke(argv[1], static_cast<int>(args.size()), args.data());
    }

    object *swap(int argc, args_t argv)
    {
      check_arity("swap!", argc, 2, -1);
      auto *c = as_atom(argv[0], "swap!");
      return set_cell(c, swapped(c, argc, argv));
    }

    object *vswap(int argc, args_t argv)
    {
      check_arity("vswap!", argc, 2, -1);
      auto *c = as_cell(argv[0], "vswap!");
      return c->value = swapped(c, argc, argv);
    }

    object *swap_vals(int argc, args_t argv)
    {
      check_arity("swap-vals!", argc, 2, -1);
      auto *c = as_atom(argv[0], "swap-vals!");
      auto *old = c->value;
      auto *now = set_cell(c, swapped(c, argc, argv));
      return vector_from({ old, now });
    }

    object *reset_vals(int argc, args_t argv)
    {
      check_arity("reset-vals!", argc, 2, 2);
      auto *c = as_atom(argv[0], "reset-vals!");
      auto *old = c->value;
      set_cell(c, argv[1]);
      return vector_from({ old, argv[1] });
    }

    /* As the JVM's, by identity: the value read from the atom, not one equal
     * to it. Strings compare by value, as the JVM's interned literals do. */
    object *compare_and_set(int argc, args_t argv)
    {
      check_arity("compare-and-set!", argc, 3, 3);
      /* (.compareAndSet a old new) compiles to compare-and-set!; on an
       * AtomicLong or AtomicReference it is theirs. */
      if(object * answer{}; atomic_method("compareAndSet", argv[0], 2, argv + 1, &answer))
      {
        return answer;
      }
      auto *c = as_atom(argv[0], "compare-and-set!");
      auto const strings = c->value->type == tag::string && argv[1]->type == tag::string;
      if(!identical(c->value, argv[1]) && !(strings && equals(c->value, argv[1])))
      {
        return boolean(false);
      }
      set_cell(c, argv[2]);
      return boolean(true);
    }

    /* The watches of an atom, volatile, agent, ref or var: all are IRefs. */
    std::vector<std::pair<object *, object *>> &watches_of(object *o, char const *op)
    {
      if(o->type == tag::var)
      {
        return static_cast<var_obj *>(o)->watches;
      }
      return as_cell(o, op)->watches;
    }

    object *add_watch(int argc, args_t argv)
    {
      check_arity("add-watch", argc, 3, 3);
      auto &watches = watches_of(argv[0], "add-watch");
      for(auto &w : watches)
      {
        if(equals(w.first, argv[1]))
        {
          w.second = argv[2];
          return argv[0];
        }
      }
      watches.emplace_back(argv[1], argv[2]);
      return argv[0];
    }

    object *remove_watch(int argc, args_t argv)
    {
      check_arity("remove-watch", argc, 2, 2);
      std::erase_if(watches_of(argv[0], "remove-watch"),
                    [&](auto const &w) { return equals(w.first, argv[1]); });
      return argv[0];
    }

    object *get_validator(int argc, args_t argv)
    {
      check_arity("get-validator", argc, 1, 1);
      auto *validator = as_cell(argv[0], "get-validator")->validator;
      return validator == nullptr ? nil() : validator;
    }

    object *set_validator(int argc, args_t argv)
    {
      check_arity("set-validator!", argc, 2, 2);
      auto *c = as_cell(argv[0], "set-validator!");
      auto *v = truthy(argv[1]) ? argv[1] : nullptr;
      if(v != nullptr && !truthy(invoke(v, 1, &c->value)))
      {
        fail("Invalid reference state");
      }
      c->validator = v;
      return nil();
    }

    object *lazy_seq(int argc, args_t argv)
    {
      check_arity("lazy-seq*", argc, 1, 1);
      return new lazy_seq_obj{ argv[0] };
    }

    /* A delay's value, running its body the first time; a promise's value. */
    object *realize_delay(delay_obj *d)
    {
      if(d->error != nullptr)
      {
        throw_value(d->error);
      }
      if(d->thunk != nullptr && !d->is_promise)
      {
        try
        {
          d->value = invoke(d->thunk, 0, nullptr);
        }
        catch(std::exception const &e)
        {
          d->error = caught_value(e);
          d->thunk = nullptr;
          throw;
        }
        d->thunk = nullptr;
      }
      else if(d->thunk != nullptr)
      {
        invoke(d->thunk, 0, nullptr);
      }
      return d->value;
    }

    /* (force x): a delay's value; anything else (a promise too) is itself. */
    object *force(object *o)
    {
      if(o->type != tag::delay || static_cast<delay_obj *>(o)->is_promise)
      {
        return o;
      }
      return realize_delay(static_cast<delay_obj *>(o));
    }

    object *delay(int argc, args_t argv)
    {
      check_arity("delay*", argc, 1, 1);
      return new delay_obj{ argv[0] };
    }

    object *undelivered(int, args_t)
    {
      fail("deref of a promise nothing delivered: the page has one thread, so it would wait forever");
    }

    object *promise(int argc, args_t)
    {
      check_arity("promise", argc, 0, 0);
      static object *pending = [] {
        auto *f = new fn_obj{};
        f->name = "clojure.core/promise";
        f->native = undelivered;
        gc::make_permanent(f);
        return f;
      }();
      auto *p = new delay_obj{ pending };
      p->is_promise = true;
      return p;
    }

    /* (deliver p value): the first delivery sets the value and returns p; later ones return nil. */
    object *deliver(int argc, args_t argv)
    {
      check_arity("deliver", argc, 2, 2);
      if(argv[0]->type != tag::delay || !static_cast<delay_obj *>(argv[0])->is_promise)
      {
        fail(std::string{ "deliver expects a promise, got " } + type_name(argv[0]));
      }
      auto *p = static_cast<delay_obj *>(argv[0]);
      if(p->thunk == nullptr)
      {
        return nil();
      }
      p->value = argv[1];
      p->thunk = nullptr;
      return p;
    }

    object *force_(int argc, args_t argv)
    {
      check_arity("force", argc, 1, 1);
      return force(argv[0]);
    }

    object *realized(int argc, args_t argv)
    {
      check_arity("realized?", argc, 1, 1);
      switch(argv[0]->type)
      {
        case tag::delay:
          return boolean(static_cast<delay_obj *>(argv[0])->thunk == nullptr);
        case tag::lazy_seq:
          return boolean(static_cast<lazy_seq_obj *>(argv[0])->is_realized());
        default:
          /* A deftype's IPending. */
          if(auto *is_realized = type_method_of(argv[0], "isRealized"))
          {
            return boolean(truthy(invoke(is_realized, 1, argv)));
          }
          fail(std::string{ "realized? expects a delay or lazy seq, got " } + type_name(argv[0]));
      }
    }

    /* (var-get v): the var's value, with dynamic bindings. */
    object *var_get(int argc, args_t argv)
    {
      check_arity("var-get", argc, 1, 1);
      if(argv[0]->type != tag::var)
      {
        fail(std::string{ "var-get expects a var, got " } + type_name(argv[0]));
      }
      return deref(static_cast<var_obj *>(argv[0]));
    }

    var_obj *as_var(object *o, char const *method)
    {
      if(o->type != tag::var)
      {
        fail(std::string{ "No matching field found: " } + method + " for class " + class_name_of(o));
      }
      return static_cast<var_obj *>(o);
    }

    /* (var-method* "isDynamic" v): clojure.lang.Var's isDynamic, getRawRoot
     * and setDynamic, which code that manages vars calls. */
    object *var_method(int argc, args_t argv)
    {
      check_arity("var-method*", argc, 2, 3);
      auto const method = str(argv[0]);
      auto *var = as_var(argv[1], method.c_str());
      auto *dynamic_key = keyword("", "dynamic");
      if(method == "isDynamic")
      {
        return boolean(truthy(get(stored_meta(var), dynamic_key, nil())));
      }
      if(method == "getRawRoot")
      {
        return var->bound ? var->root : nil();
      }
      /* setDynamic, or (.setDynamic v false): the var's :dynamic, as binding checks it. */
      auto const dynamic = argc == 2 || truthy(argv[2]);
      call(core("alter-meta!"), { var, core("assoc"), dynamic_key, boolean(dynamic) });
      return var;
    }

    /* (watches* r): an atom's, agent's or ref's watches, key to fn, as
     * IRef.getWatches gives them. */
    object *watches(int argc, args_t argv)
    {
      check_arity("getWatches", argc, 1, 1);
      object *out = map_from({});
      for(auto const &[key, fn] : watches_of(argv[0], "getWatches"))
      {
        out = assoc(out, key, fn);
      }
      return out;
    }

    /* (var-set v value), and set! of a var. */
    object *var_set(int argc, args_t argv)
    {
      check_arity("var-set", argc, 2, 2);
      set_var(as<var_obj>(argv[0], tag::var, "a var"), argv[1]);
      return argv[1];
    }

    /* (local-var* init): with-local-vars' var, in no namespace's map, so
     * the collector frees it with the last reference. */
    object *local_var(int argc, args_t argv)
    {
      check_arity("local-var*", argc, 1, 1);
      auto *var = new var_obj{ intern_ns("clojure.core"), "" };
      bind_root(var, argv[0]);
      return var;
    }

    /* (alter-var-root v f & args): the root becomes (apply f root args). */
    object *alter_var_root(int argc, args_t argv)
    {
      check_arity("alter-var-root", argc, 2, -1);
      auto *var = as<var_obj>(argv[0], tag::var, "a var");
      std::vector<object *> args{ var->bound ? var->root : nil() };
      args.insert(args.end(), argv + 2, argv + argc);
      auto *value = invoke(argv[1], static_cast<int>(args.size()), args.data());
      bind_root(var, value);
      return value;
    }

    /* (with-redefs-fn {#'v value ...} f): calls f with each var's root set to
     * its value, and restores the roots however f returns. */
    object *with_redefs_fn(int argc, args_t argv)
    {
      check_arity("with-redefs-fn", argc, 2, 2);
      struct saved_root
      {
        var_obj *var;
        object *root;
        bool bound;
      };
      std::vector<saved_root> saved;
      for(auto *e : to_items(argv[0]))
      {
        auto *entry = static_cast<vector_obj *>(e);
        if(entry->at(0)->type != tag::var)
        {
          fail(std::string{ "with-redefs-fn expects vars as keys, got " } + type_name(entry->at(0)));
        }
        auto *var = static_cast<var_obj *>(entry->at(0));
        saved.push_back({ var, var->root, var->bound });
        bind_root(var, entry->at(1));
      }
      auto const restore = [&] {
        for(auto const &s : saved)
        {
          s.var->root = s.root;
          s.var->bound = s.bound;
        }
      };
      try
      {
        auto *result = invoke(argv[1], 0, nullptr);
        restore();
        return result;
      }
      catch(...)
      {
        restore();
        throw;
      }
    }

    /* deref of atoms, volatiles, delays and vars (with dynamic bindings). */
    object *deref_(int argc, args_t argv)
    {
      check_arity("deref", argc, 1, 3);
      if(argc == 2)
      {
        fail("Wrong number of args (2) passed to: clojure.core/deref");
      }
      /* (deref promise timeout-ms timeout-val): the page has one thread, so a
       * promise not yet delivered never will be while this waits. */
      if(argc == 3 && argv[0]->type == tag::delay && static_cast<delay_obj *>(argv[0])->is_promise
         && static_cast<delay_obj *>(argv[0])->thunk != nullptr)
      {
        return argv[2];
      }
      /* The timeout arity is a blocking deref's: a promise's or a future's, as
       * Clojure's deref-future casts to one. */
      if(argc == 3
         && !(argv[0]->type == tag::delay
              && (static_cast<delay_obj *>(argv[0])->is_promise || static_cast<delay_obj *>(argv[0])->is_future)))
      {
        fail("Cannot cast " + class_name_of(argv[0]) + " to java.util.concurrent.Future (deref with a timeout "
             "takes a future or a promise)");
      }
      switch(argv[0]->type)
      {
        case tag::cell:
          return static_cast<cell_obj *>(argv[0])->value;
        case tag::delay:
          return realize_delay(static_cast<delay_obj *>(argv[0]));
        case tag::var:
          return deref(static_cast<var_obj *>(argv[0]));
        case tag::reduced:
          return static_cast<reduced_obj *>(argv[0])->value;
        default:
          if(auto *f = interface_fn(argv[0], &record_type_obj::deref_fn))
          {
            return invoke(f, 1, argv);
          }
          fail(std::string{ "deref expects an atom, volatile, delay, var or reduced, got " }
               + type_name(argv[0]));
      }
    }

    object *ex_info(int argc, args_t argv)
    {
      check_arity("ex-info", argc, 2, 3);
      if(argv[0]->type != tag::string && argv[0]->type != tag::nil)
      {
        fail(std::string{ "ex-info's message must be a string, got " } + type_name(argv[0]));
      }
      if(argv[1]->type == tag::nil)
      {
        fail("Additional data must be non-nil.");
      }
      if(argv[1]->type != tag::map && argv[1]->type != tag::record)
      {
        fail(std::string{ "ex-info's data must be a map, got " } + type_name(argv[1]));
      }
      auto *e = new ex_info_obj{ str(argv[0]), argv[1], argc == 3 ? argv[2] : nil(), "clojure.lang.ExceptionInfo" };
      /* (ex-info nil {}): no message, as Java's getMessage has it. */
      e->message_is_nil = argv[0]->type == tag::nil;
      return e;
    }

    ex_info_obj *exception(object *o)
    {
      return o->type == tag::ex_info ? static_cast<ex_info_obj *>(o) : nullptr;
    }

    /* Java's exception classes (and Clojure's) by simple name, each with
     * its superclass: what a catch clause's class catches. */
    constexpr std::pair<std::string_view, std::string_view> superclasses[] = {
      { "Exception", "Throwable" },
      { "Error", "Throwable" },
      { "RuntimeException", "Exception" },
      { "IOException", "Exception" },
      { "FileNotFoundException", "IOException" },
      { "EOFException", "IOException" },
      { "InterruptedException", "Exception" },
      { "ClassNotFoundException", "Exception" },
      { "TimeoutException", "Exception" },
      { "ExecutionException", "Exception" },
      { "URISyntaxException", "Exception" },
      { "MalformedURLException", "IOException" },
      { "AssertionError", "Error" },
      { "IncompatibleClassChangeError", "LinkageError" },
      { "IllegalAccessError", "IncompatibleClassChangeError" },
      { "LinkageError", "Error" },
      { "VirtualMachineError", "Error" },
      { "StackOverflowError", "VirtualMachineError" },
      { "OutOfMemoryError", "VirtualMachineError" },
      { "ArithmeticException", "RuntimeException" },
      { "IllegalArgumentException", "RuntimeException" },
      { "NumberFormatException", "IllegalArgumentException" },
      { "PatternSyntaxException", "IllegalArgumentException" },
      { "ArityException", "IllegalArgumentException" },
      { "IllegalStateException", "RuntimeException" },
      { "IndexOutOfBoundsException", "RuntimeException" },
      { "StringIndexOutOfBoundsException", "IndexOutOfBoundsException" },
      { "ArrayIndexOutOfBoundsException", "IndexOutOfBoundsException" },
      { "NegativeArraySizeException", "RuntimeException" },
      { "ClassCastException", "RuntimeException" },
      { "NullPointerException", "RuntimeException" },
      { "UnsupportedOperationException", "RuntimeException" },
      { "ExceptionInfo", "RuntimeException" },
    };

    std::string_view simple_name(std::string_view java_class)
    {
      auto const dot = java_class.rfind('.');
      return dot == std::string_view::npos ? java_class : java_class.substr(dot + 1);
    }

    bool is_a(std::string_view cls, std::string_view ancestor)
    {
      while(!cls.empty())
      {
        if(cls == ancestor)
        {
          return true;
        }
        auto const *up = std::find_if(std::begin(superclasses), std::end(superclasses),
                                      [&](auto const &pair) { return pair.first == cls; });
        cls = up == std::end(superclasses) ? std::string_view{} : up->second;
      }
      return false;
    }

    /* (exception-instance?* caught "ArithmeticException"): whether a catch
     * of that class catches what was thrown. A runtime error the runtime does
     * not classify (a wrong type, mostly) and a thrown value that is no
     * exception stand for a RuntimeException of no particular kind: the
     * classes that the runtime never names for its errors catch them. */
    object *exception_instance(int argc, args_t argv)
    {
      check_arity("exception-instance?*", argc, 2, 2);
      auto const target = simple_name(as<string_obj>(argv[1], tag::string, "a class name")->value);
      if(target == "Throwable" || target == "Object")
      {
        return boolean(true);
      }
      auto const *e = exception(argv[0]);
      if(e != nullptr && !e->java_class.empty())
      {
        return boolean(is_a(simple_name(e->java_class), target));
      }
      static constexpr std::string_view unclassified[] = {
        "Exception", "RuntimeException", "IllegalArgumentException", "IllegalStateException",
        "ClassCastException", "NullPointerException", "UnsupportedOperationException",
      };
      return boolean(std::find(std::begin(unclassified), std::end(unclassified), target) != std::end(unclassified));
    }

    /* (exception* "IllegalStateException" message cause?): what (IllegalStateException. m)
     * constructs; an ex-info without data whose class catch clauses see. */
    object *make_exception(int argc, args_t argv)
    {
      check_arity("exception*", argc, 2, 3);
      std::string const cls{ simple_name(as<string_obj>(argv[0], tag::string, "a class name")->value) };
      if(cls.empty())
      {
        /* (exception* "" message): the class the runtime gives its own error
         * of that message, as the compiler's error at run time. */
        auto *e = new ex_info_obj{ str(argv[1]), nil(), argc == 3 ? argv[2] : nil(), java_class_of_error(str(argv[1])) };
        return e;
      }
      auto const package = cls == "ExceptionInfo" || cls == "ArityException"           ? "clojure.lang."
                           : cls == "TimeoutException" || cls == "ExecutionException" ? "java.util.concurrent."
                           : cls == "IOException" || cls == "FileNotFoundException" || cls == "EOFException" ? "java.io."
                                                                                      : "java.lang.";
      auto message = argv[1]->type == tag::nil ? std::string{} : str(argv[1]);
      auto *e = new ex_info_obj{ std::move(message), nil(), argc == 3 ? argv[2] : nil(), package + cls };
      e->message_is_nil = argv[1]->type == tag::nil;
      return e;
    }

    /* (.length x) and the like: the JVM's method call on nil throws, where
     * the clojure.core function it compiles to (count) takes nil. */
    object *method_target(int argc, args_t argv)
    {
      check_arity("method-target*", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        fail("Cannot invoke \"Object.getClass()\" because \"target\" is null");
      }
      return argv[0];
    }

    object *ex_message(int argc, args_t argv)
    {
      check_arity("ex-message", argc, 1, 1);
      auto *e = exception(argv[0]);
      return e == nullptr || e->message_is_nil ? nil() : string(e->message);
    }

    object *ex_data(int argc, args_t argv)
    {
      check_arity("ex-data", argc, 1, 1);
      auto *e = exception(argv[0]);
      return e == nullptr ? nil() : e->data;
    }

    object *ex_cause(int argc, args_t argv)
    {
      check_arity("ex-cause", argc, 1, 1);
      auto *e = exception(argv[0]);
      return e == nullptr ? nil() : e->cause;
    }

    /* (StackTraceElement->vec e): [class method file line]. The page keeps
     * no frames (.getStackTrace is empty), so no value is ever an element. */
    object *stack_trace_element_to_vec(int argc, args_t argv)
    {
      check_arity("StackTraceElement->vec", argc, 1, 1);
      fail("StackTraceElement->vec expects a java.lang.StackTraceElement, not " + a_type_name(argv[0]) +
           "; the page keeps no stack frames");
    }

    /* (Throwable->map e): the exception and its causes as data, as Clojure
     * gives it; there are no stack frames here, so :trace is empty. */
    object *throwable_to_map(int argc, args_t argv)
    {
      check_arity("Throwable->map", argc, 1, 1);
      if(exception(argv[0]) == nullptr)
      {
        fail("Throwable->map expects an exception, not " + a_type_name(argv[0]));
      }
      std::vector<object *> via;
      ex_info_obj *root = nullptr;
      for(auto *e = exception(argv[0]); e != nullptr; e = exception(e->cause))
      {
        root = e;
        auto const is_info = e->data->type != tag::nil;
        std::vector<object *> entry{ keyword("", "type"),
                                     symbol("", exception_class_name(e)),
                                     keyword("", "message"),
                                     e->message_is_nil ? nil() : string(e->message) };
        if(is_info)
        {
          entry.insert(entry.end(), { keyword("", "data"), e->data });
        }
        via.push_back(map_from(entry));
      }
      std::vector<object *> out{ keyword("", "via"), vector_from(via), keyword("", "trace"), vector_from({}),
                                 keyword("", "cause"), root->message_is_nil ? nil() : string(root->message) };
      if(root->data->type != tag::nil)
      {
        out.insert(out.end(), { keyword("", "data"), root->data });
      }
      return map_from(out);
    }

    /* (intern 'ns 'name): the var, created without a root if missing. */
    object *intern(int argc, args_t argv)
    {
      check_arity("intern", argc, 2, 3);
      auto *var = intern_var(str(argv[0]), str(argv[1]));
      if(argc == 3)
      {
        bind_root(var, argv[2]);
      }
      return var;
    }

    object *bound(int argc, args_t argv)
    {
      check_arity("bound?", argc, 1, -1);
      for(int i = 0; i < argc; ++i)
      {
        if(!as<var_obj>(argv[i], tag::var, "a var")->bound)
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *thread_bound(int argc, args_t argv)
    {
      check_arity("thread-bound?", argc, 1, -1);
      for(int i = 0; i < argc; ++i)
      {
        if(!has_binding(as<var_obj>(argv[i], tag::var, "a var")))
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *get_thread_bindings(int argc, args_t)
    {
      check_arity("get-thread-bindings", argc, 0, 0);
      return current_bindings();
    }

    /* env: [bindings f]: f run with the bindings bound-fn* saw. */
    object *bound_fn_call(object *env, int argc, args_t argv)
    {
      push_bindings(env_at(env, 0));
      struct pop_on_exit
      {
        ~pop_on_exit()
        {
          pop_bindings();
        }
      } popper;
      return invoke(env_at(env, 1), argc, argv);
    }

    /* (bound-fn* f): f, run later with the dynamic bindings in force now. */
    object *bound_fn(int argc, args_t argv)
    {
      check_arity("bound-fn*", argc, 1, 1);
      return native_closure("bound-fn*", bound_fn_call, vector_from({ current_bindings(), argv[0] }));
    }

    object *push_thread_bindings(int argc, args_t argv)
    {
      check_arity("push-thread-bindings", argc, 1, 1);
      push_bindings(argv[0]);
      return nil();
    }

    object *pop_thread_bindings(int argc, args_t)
    {
      check_arity("pop-thread-bindings", argc, 0, 0);
      pop_bindings();
      return nil();
    }

    /* (with-bindings* {#'v value} f & args): f called with args while the
     * vars are bound, the bindings popped however it ends. */
    object *with_bindings(int argc, args_t argv)
    {
      check_arity("with-bindings*", argc, 2, -1);
      push_bindings(argv[0]);
      try
      {
        auto *result = invoke(argv[1], argc - 2, argv + 2);
        pop_bindings();
        return result;
      }
      catch(...)
      {
        pop_bindings();
        throw;
      }
    }

    /* (test v): runs the fn under v's :test metadata, as Clojure's test. */
    object *test(int argc, args_t argv)
    {
      check_arity("test", argc, 1, 1);
      auto *f = get(call(core("meta"), { argv[0] }), keyword("", "test"), nil());
      if(f->type == tag::nil)
      {
        return keyword("", "no-test");
      }
      invoke(f, 0, nullptr);
      return keyword("", "ok");
    }

    object *with_out_str(int argc, args_t argv)
    {
      check_arity("with-out-str*", argc, 1, 1);
      begin_nested_output_capture();
      try
      {
        invoke(argv[0], 0, nullptr);
      }
      catch(...)
      {
        end_output_capture();
        throw;
      }
      return string(end_output_capture());
    }

    object *current_time_ms(int argc, args_t)
    {
      check_arity("current-time-ms", argc, 0, 0);
      auto const now = std::chrono::steady_clock::now().time_since_epoch();
      return real(std::chrono::duration<double, std::milli>(now).count());
    }

    native_entry const lang_fns[] = {
      { "atom", atom },
      { "volatile!", volatile_ },
      { "reset!", reset },
      { "vreset!", vreset },
      { "swap!", swap },
      { "vswap!", vswap },
      { "swap-vals!", swap_vals },
      { "reset-vals!", reset_vals },
      { "compare-and-set!", compare_and_set },
      { "add-watch", add_watch },
      { "remove-watch", remove_watch },
      { "set-validator!", set_validator },
      { "get-validator", get_validator },
      { "thread-bound?", thread_bound },
      { "get-thread-bindings", get_thread_bindings },
      { "bound-fn*", bound_fn },
      { "lazy-seq*", lazy_seq },
      { "delay*", delay },
      { "promise", promise },
      { "deliver", deliver },
      { "force", force_ },
      { "realized?", realized },
      { "deref", deref_ },
      { "var-get", var_get },
      { "var-method*", var_method },
      { "watches*", watches },
      { "var-set", var_set },
      { "local-var*", local_var },
      { "alter-var-root", alter_var_root },
      { "with-redefs-fn", with_redefs_fn },
      { "ex-info", ex_info },
      { "exception*", make_exception },
      { "exception-instance?*", exception_instance },
      { "ex-message", ex_message },
      { "method-target*", method_target },
      { "ex-data", ex_data },
      { "ex-cause", ex_cause },
      { "Throwable->map", throwable_to_map },
      { "StackTraceElement->vec", stack_trace_element_to_vec },
      { "intern", intern },
      { "bound?", bound },
      { "push-thread-bindings", push_thread_bindings },
      { "pop-thread-bindings", pop_thread_bindings },
      { "with-out-str*", with_out_str },
      { "with-bindings*", with_bindings },
      { "test", test },
      { "current-time-ms", current_time_ms },
    };
  }

  namespace
  {
    /* Runs a lazy seq's body: its thunk, or its C++ step. A step counts as
     * a call, as the thunk's invoke does: recursion through lazy seqs then
     * reaches max_call_depth before the browser's stack runs out. */
    object *run_body(lazy_seq_obj const *lazy)
    {
      if(lazy->thunk != nullptr)
      {
        return invoke(lazy->thunk, 0, nullptr);
      }
      if(++calls::call_depth > max_call_depth)
      {
        calls::fail_depth();
      }
      if(--calls::calls_until_clock == 0)
      {
        calls::check_time_limit();
      }
      auto *value = lazy->step(lazy->step_env, 0, nullptr);
      --calls::call_depth;
      return value;
    }

    void drop_body(lazy_seq_obj *lazy)
    {
      lazy->thunk = nullptr;
      lazy->step = nullptr;
      lazy->step_env = nullptr;
    }
  }

  namespace
  {
    /* lazy's body gave value, another lazy seq: realizes the chain without
     * recursion, and gives every seq in it the value it ends in. Out of
     * line, so that the common case's frame (recursion through lazy seqs
     * nests it) holds no vector. */
    [[gnu::noinline]] object *realize_chain(lazy_seq_obj *lazy, object *value)
    {
      std::vector<lazy_seq_obj *> chain{ lazy };
      while(value->type == tag::lazy_seq)
      {
        auto *inner = static_cast<lazy_seq_obj *>(value);
        if(inner->is_realized())
        {
          value = inner->realized == nullptr ? nil() : inner->realized;
          break;
        }
        chain.push_back(inner);
        value = run_body(inner);
      }
      value = seq(value);
      for(auto *l : chain)
      {
        l->realized = value;
        drop_body(l);
      }
      return value;
    }
  }

  object *realize(lazy_seq_obj *lazy)
  {
    if(lazy->is_realized())
    {
      return lazy->realized == nullptr ? nil() : lazy->realized;
    }
    auto *value = run_body(lazy);
    if(value->type == tag::lazy_seq)
    {
      return realize_chain(lazy, value);
    }
    value = seq(value);
    lazy->realized = value;
    drop_body(lazy);
    return value;
  }

  std::string java_class_of_error(std::string const &message)
  {
    /* The runtime's messages, by what they begin with. */
    static std::pair<char const *, char const *> const classes[] = {
      { "Divide by zero", "java.lang.ArithmeticException" },
      { "long overflow", "java.lang.ArithmeticException" },
      { "integer overflow", "java.lang.ArithmeticException" },
      { "/ by zero", "java.lang.ArithmeticException" },
      { "Non-terminating decimal expansion", "java.lang.ArithmeticException" },
      { "Rounding necessary", "java.lang.ArithmeticException" },
      { "Division by zero", "java.lang.ArithmeticException" },
      { "BigInteger", "java.lang.ArithmeticException" },
      { "Negative exponent", "java.lang.ArithmeticException" },
      { "Invalid operation", "java.lang.ArithmeticException" },
      { "Wrong number of args", "clojure.lang.ArityException" },
      { "Default comparator requires", "java.lang.ClassCastException" },
      { "bit operation not supported for", "java.lang.IllegalArgumentException" },
      { "String index out of range", "java.lang.StringIndexOutOfBoundsException" },
      { "StackOverflowError", "java.lang.StackOverflowError" },
      { "For input string", "java.lang.NumberFormatException" },
      { "Cannot parse null string", "java.lang.NumberFormatException" },
      { "Value out of range for", "java.lang.IllegalArgumentException" },
      { "No matching field found", "java.lang.IllegalArgumentException" },
      { "Argument must be an integer", "java.lang.IllegalArgumentException" },
      { "out of memory", "java.lang.OutOfMemoryError" },
      { "Cannot invoke ", "java.lang.NullPointerException" },
      { "Cannot call nil", "java.lang.NullPointerException" },
      { "Cannot cast ", "java.lang.ClassCastException" },
      { "Cannot call ", "java.lang.ClassCastException" },
      { "No such element", "java.util.NoSuchElementException" },
      { "Cannot add null", "java.lang.NullPointerException" },
      { "Key must be integer", "java.lang.IllegalArgumentException" },
      { "Duplicate key", "java.lang.IllegalArgumentException" },
      { "bound must be ", "java.lang.IllegalArgumentException" },
      { "URLDecoder: ", "java.lang.IllegalArgumentException" },
      { "Illegal character in ", "java.net.URISyntaxException" },
      { "Malformed escape pair at index ", "java.net.URISyntaxException" },
      { "Expected scheme", "java.net.URISyntaxException" },
      { "Illegal base64 character", "java.lang.IllegalArgumentException" },
      { "Input byte", "java.lang.IllegalArgumentException" },
      { "Last unit does not have enough valid bits", "java.lang.IllegalArgumentException" },
      { "Assert failed: ", "java.lang.AssertionError" },
      { "Expected string, got ", "java.lang.IllegalArgumentException" },
      { "Vector arg to map conj must be a pair", "java.lang.IllegalArgumentException" },
      { "No value supplied for key", "java.lang.IllegalArgumentException" },
      { "Additional data must be non-nil", "java.lang.IllegalArgumentException" },
      { "Invalid regex", "java.util.regex.PatternSyntaxException" },
      { "Unknown character property", "java.util.regex.PatternSyntaxException" },
      { "Unclosed character family", "java.util.regex.PatternSyntaxException" },
      { "No match found", "java.lang.IllegalStateException" },
      { "Transient used after persistent! call", "java.lang.IllegalAccessError" },
      { "Can't change/establish root binding", "java.lang.IllegalStateException" },
      { "Preference conflict in multimethod", "java.lang.IllegalStateException" },
      { "Can't dynamically bind non-dynamic var", "java.lang.IllegalStateException" },
      { "Invalid reference state", "java.lang.IllegalStateException" },
      { "Attempting to call unbound fn", "java.lang.IllegalStateException" },
      { "no conversion to symbol", "java.lang.IllegalArgumentException" },
      { "No group with name", "java.lang.IllegalArgumentException" },
      { "No group ", "java.lang.IndexOutOfBoundsException" },
      { "count < 0", "java.lang.IllegalArgumentException" },
      { "await on a CountDownLatch", "java.lang.IllegalStateException" },
      { "No class ", "java.lang.UnsupportedOperationException" },
    };
    for(auto const &[prefix, java] : classes)
    {
      if(message.starts_with(prefix))
      {
        return java;
      }
    }
    /* Java's String.substring: "begin 2, end 7, length 5". */
    if((message.starts_with("begin ") || message.starts_with("start ")) && message.find(", end ") != std::string::npos
       && message.find(", length ") != std::string::npos)
    {
      return "java.lang.StringIndexOutOfBoundsException";
    }
    if((message.starts_with("Index ") || message.starts_with("index ")) && message.find(" out of bounds") != std::string::npos)
    {
      /* (nth "abc" 5) and .charAt: String.charAt's own exception. */
      return message.ends_with(" for a string") ? "java.lang.StringIndexOutOfBoundsException"
                                                : "java.lang.IndexOutOfBoundsException";
    }
    if(message.ends_with(" (No such file or directory)"))
    {
      return "java.io.FileNotFoundException";
    }
    if(message.starts_with("count not supported") || message.starts_with("nth not supported"))
    {
      return "java.lang.UnsupportedOperationException";
    }
    if(message.starts_with("don't know how to create a seq") || message.starts_with("Don't know how to create")
       || message.find("no value supplied for key") != std::string::npos || message.starts_with("conj on a map takes"))
    {
      return "java.lang.IllegalArgumentException";
    }
    /* Java's IllegalFormatException family. */
    if(message.starts_with("format: "))
    {
      return "java.lang.IllegalArgumentException";
    }
    if(message.starts_with("Can't pop empty"))
    {
      return "java.lang.IllegalStateException";
    }
    if(message.starts_with("rand-nth of an empty"))
    {
      return "java.lang.IndexOutOfBoundsException";
    }
    /* A value of the wrong type ("subs expects a string, got integer"): the
     * JVM's cast of it fails, or its method call on null. */
    if(auto const at = message.find(", got "); at != std::string::npos && message.find(" expects ") < at)
    {
      return message.compare(at + 6, 3, "nil") == 0 ? "java.lang.NullPointerException"
                                                    : "java.lang.ClassCastException";
    }
    if(message.starts_with("contains? not supported") || message.starts_with("find not supported"))
    {
      return "java.lang.IllegalArgumentException";
    }
    /* "expected a set, got vector": Clojure's cast to the interface fails. */
    if(message.starts_with("conj not supported") || message.starts_with("assoc not supported")
       || (message.starts_with("expected a") && message.find(", got ") != std::string::npos)
       || message.starts_with("ex-info's data must be a map") || message.starts_with("cannot compare "))
    {
      return "java.lang.ClassCastException";
    }
    return {};
  }

  std::string exception_class_name(ex_info_obj const *e)
  {
    return e->java_class.empty() ? "java.lang.RuntimeException" : e->java_class;
  }

  std::string message_of(std::exception const &e)
  {
    if(dynamic_cast<std::bad_alloc const *>(&e) != nullptr || dynamic_cast<std::length_error const *>(&e) != nullptr)
    {
      return "out of memory: was an infinite seq realized in full? ((range), iterate, cycle and "
             "repeat never end: take from them before count, vec, sort or reduce) Or a loop that "
             "never ends, or one too long for one call: the page collects garbage only between "
             "calls, so split the work across calls; the memory is reclaimed once this call returns";
    }
    return e.what();
  }

  object *caught_value(std::exception const &e)
  {
    if(auto const *t = dynamic_cast<thrown_value const *>(&e))
    {
      return t->value;
    }
    auto const message = message_of(e);
    return new ex_info_obj{ message, nil(), nil(), java_class_of_error(message) };
  }

  [[noreturn]] void throw_value(object *value)
  {
    if(auto *e = exception(value))
    {
      auto const has_data = e->data->type == tag::map && count(e->data) > 0;
      throw thrown_value{ value, has_data ? e->message + " " + pr_str(e->data) : e->message };
    }
    throw thrown_value{ value, pr_str(value) };
  }

  void install_lang()
  {
    bind_root(intern_var("clojure.core", "*assert*"), boolean(true));
    /* How long one call from JavaScript may run (calls::check_time_limit):
     * 8 s, under the dev server's 10 s wait for a page's answer. */
    bind_root(intern_var("jank.hot-reload", "*time-limit-ms*"), integer(8000));
    // The REPL's last values and exception (a session's, while it evaluates).
    for(auto const *name : { "*1", "*2", "*3", "*e" })
    {
      bind_root(intern_var("clojure.core", name), nil());
    }
    install_natives(lang_fns);
    /* clojure.lang.Compiler/specials: the special forms by name (the JVM's
     * values are its parsers), whose keys code walkers read; as the
     * compiler's knowledge::SPECIAL_FORM_NAMES. */
    std::vector<object *> specials;
    for(auto const *name : { "def", "loop*", "recur", "if", "case*", "let*", "letfn*", "do", "fn*", "quote", "var",
                             ".", "set!", "deftype*", "reify*", "try", "throw", "monitor-enter", "monitor-exit",
                             "catch", "finally", "new", "&" })
    {
      specials.push_back(symbol("", name));
      specials.push_back(nil());
    }
    specials.push_back(symbol("clojure.core", "import*"));
    specials.push_back(nil());
    bind_root(intern_var("clojure.lang.Compiler", "specials"), map_from(specials));
    /* clojure.lang.Compiler/LOOP_LOCALS: the var the JVM's compiler binds to
     * the locals of the loop it is compiling, which core.match's macros read.
     * In the page, where no compiler runs, it holds nil, as the JVM's does
     * when code runs. */
    auto *loop_locals = intern_var("clojure.lang.Compiler", "loop-locals*");
    bind_root(loop_locals, nil());
    bind_root(intern_var("clojure.lang.Compiler", "LOOP_LOCALS"), loop_locals);
  }

  object *core_deref(object *x)
  {
    if(x->type == tag::cell)
    {
      return static_cast<cell_obj *>(x)->value;
    }
    object *args[] = { x };
    return deref_(1, args);
  }
}
