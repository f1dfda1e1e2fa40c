// Clojure's concurrency primitives, for code that uses them, on the page's
// one thread:
// - refs: dosync runs its body at once; alter, commute and ref-set change refs
//   in it, and an exception rolls every change back, as a failed transaction;
//   watches run after the commit;
// - agents: send and send-off apply the action at once (there is no other
//   thread to run it later); a failed action leaves the agent failed;
// - futures: future-call runs the body at once, deref gives its value;
// - taps: tap> calls every tap at once.
#include "concurrency.hpp"

#include "gc.hpp"
#include "lang.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <algorithm>
#include <vector>

namespace jhr
{
  namespace
  {
    // ---- refs and transactions --------------------------------------------------------

    /* The refs the running transaction changed, with their values before it. */
    struct transaction
    {
      std::vector<std::pair<cell_obj *, object *>> before;
    };

    std::vector<transaction> &transactions()
    {
      static std::vector<transaction> running;
      return running;
    }

    cell_obj *as_ref(object *o, char const *op)
    {
      if(o->type != tag::cell || static_cast<cell_obj *>(o)->kind != reference::ref)
      {
        fail(std::string{ op } + " expects a ref, got " + type_name(o));
      }
      return static_cast<cell_obj *>(o);
    }

    transaction &current_transaction(char const *op)
    {
      if(transactions().empty())
      {
        fail(std::string{ "No transaction running: " } + op + " must be called in dosync");
      }
      return transactions().back();
    }

    /* A ref's value in the transaction: the first change remembers the old one. */
    object *set_in_transaction(cell_obj *ref, object *value, char const *op)
    {
      auto &tx = current_transaction(op);
      if(std::none_of(tx.before.begin(), tx.before.end(), [&](auto const &b) { return b.first == ref; }))
      {
        tx.before.emplace_back(ref, ref->value);
      }
      validate(ref, value);
      ref->value = value;
      return value;
    }

    int history_size(object *n, char const *op)
    {
      if(n->type != tag::integer || static_cast<integer_obj *>(n)->value < 0
         || static_cast<integer_obj *>(n)->value > 1000000)
      {
        fail(std::string{ op } + " expects a history size (a non-negative integer), got " + pr_str(n));
      }
      return static_cast<int>(static_cast<integer_obj *>(n)->value);
    }

    /* (ref x & {:keys [validator meta min-history max-history]}) */
    object *ref(int argc, args_t argv)
    {
      check_arity("ref", argc, 1, -1);
      auto *r = new cell_obj{ argv[0], true };
      r->kind = reference::ref;
      for(int i = 1; i + 1 < argc; i += 2)
      {
        if(equals(argv[i], keyword("", "validator")) && truthy(argv[i + 1]))
        {
          r->validator = argv[i + 1];
          validate(r, r->value);
        }
        else if(equals(argv[i], keyword("", "meta")))
        {
          call(core("reset-meta!"), { r, argv[i + 1] });
        }
        else if(equals(argv[i], keyword("", "min-history")))
        {
          r->min_history = history_size(argv[i + 1], "ref");
        }
        else if(equals(argv[i], keyword("", "max-history")))
        {
          r->max_history = history_size(argv[i + 1], "ref");
        }
      }
      return r;
    }

    /* (ref-history-count ref): the past values it keeps, which only a
     * transaction that retries (another thread's) makes: none here. */
    object *ref_history_count(int argc, args_t argv)
    {
      check_arity("ref-history-count", argc, 1, 1);
      as_ref(argv[0], "ref-history-count");
      return integer(0);
    }

    /* (ref-min-history ref) gives it; (ref-min-history ref n) sets it and
     * gives the ref. ref-max-history too. */
    object *history_bound(char const *op, int cell_obj::*bound, int argc, args_t argv)
    {
      check_arity(op, argc, 1, 2);
      auto *r = as_ref(argv[0], op);
      if(argc == 1)
      {
        return integer(r->*bound);
      }
      r->*bound = history_size(argv[1], op);
      return r;
    }

    /* (alter ref f & args) and commute: the ref becomes (apply f @ref args). */
    object *alter_with(char const *op, int argc, args_t argv)
    {
      check_arity(op, argc, 2, -1);
      auto *r = as_ref(argv[0], op);
      std::vector<object *> args{ r->value };
      args.insert(args.end(), argv + 2, argv + argc);
      return set_in_transaction(r, invoke(argv[1], static_cast<int>(args.size()), args.data()), op);
    }

    object *alter(int argc, args_t argv)
    {
      return alter_with("alter", argc, argv);
    }

    object *commute(int argc, args_t argv)
    {
      return alter_with("commute", argc, argv);
    }

    object *ref_set(int argc, args_t argv)
    {
      check_arity("ref-set", argc, 2, 2);
      return set_in_transaction(as_ref(argv[0], "ref-set"), argv[1], "ref-set");
    }

    object *ensure(int argc, args_t argv)
    {
      check_arity("ensure", argc, 1, 1);
      current_transaction("ensure");
      return as_ref(argv[0], "ensure")->value;
    }

    /* (sync* f), under dosync: runs f as one transaction (inside another, as
     * part of it). On an exception the refs it changed get their old values. */
    /* (in-transaction?*): a dosync is running, for io!. */
    object *in_transaction_p(int argc, args_t)
    {
      check_arity("in-transaction?*", argc, 0, 0);
      return boolean(!transactions().empty());
    }

    object *sync(int argc, args_t argv)
    {
      check_arity("sync*", argc, 1, 1);
      if(!transactions().empty())
      {
        return invoke(argv[0], 0, nullptr);
      }
      transactions().emplace_back();
      object *result{};
      try
      {
        result = invoke(argv[0], 0, nullptr);
      }
      catch(...)
      {
        for(auto const &[r, old] : transactions().back().before)
        {
          r->value = old;
        }
        transactions().pop_back();
        throw;
      }
      auto const committed = std::move(transactions().back().before);
      transactions().pop_back();
      for(auto const &[r, old] : committed)
      {
        for(auto const &[key, fn] : std::vector<std::pair<object *, object *>>{ r->watches })
        {
          object *args[] = { key, r, old, r->value };
          invoke(fn, 4, args);
        }
      }
      return result;
    }

    // ---- agents -------------------------------------------------------------------------

    cell_obj *as_agent(object *o, char const *op)
    {
      if(o->type != tag::cell || static_cast<cell_obj *>(o)->kind != reference::agent)
      {
        fail(std::string{ op } + " expects an agent, got " + type_name(o));
      }
      return static_cast<cell_obj *>(o);
    }

    /* (agent state & options): :validator, :meta, :error-handler and
     * :error-mode, which is :continue when a handler is given, else :fail. */
    object *agent(int argc, args_t argv)
    {
      auto *a = static_cast<cell_obj *>(ref(argc, argv));
      a->kind = reference::agent;
      object *mode{};
      for(int i = 1; i + 1 < argc; i += 2)
      {
        if(equals(argv[i], keyword("", "error-handler")) && truthy(argv[i + 1]))
        {
          a->error_handler = argv[i + 1];
        }
        else if(equals(argv[i], keyword("", "error-mode")))
        {
          mode = argv[i + 1];
        }
      }
      a->error_continue = mode == nullptr ? a->error_handler != nullptr : equals(mode, keyword("", "continue"));
      return a;
    }

    object *error_handler(int argc, args_t argv)
    {
      check_arity("error-handler", argc, 1, 1);
      auto *a = as_agent(argv[0], "error-handler");
      return a->error_handler == nullptr ? nil() : a->error_handler;
    }

    object *set_error_handler(int argc, args_t argv)
    {
      check_arity("set-error-handler!", argc, 2, 2);
      as_agent(argv[0], "set-error-handler!")->error_handler = truthy(argv[1]) ? argv[1] : nullptr;
      return nil();
    }

    object *error_mode(int argc, args_t argv)
    {
      check_arity("error-mode", argc, 1, 1);
      return keyword("", as_agent(argv[0], "error-mode")->error_continue ? "continue" : "fail");
    }

    object *set_error_mode(int argc, args_t argv)
    {
      check_arity("set-error-mode!", argc, 2, 2);
      as_agent(argv[0], "set-error-mode!")->error_continue = equals(argv[1], keyword("", "continue"));
      return nil();
    }

    /* (agent-errors a), deprecated: a seq of the agent's error, or nil. */
    object *agent_errors(int argc, args_t argv)
    {
      check_arity("agent-errors", argc, 1, 1);
      auto *a = as_agent(argv[0], "agent-errors");
      return a->agent_error == nullptr ? nil() : list_from({ a->agent_error });
    }

    /* (clear-agent-errors a), deprecated: restarts it with its state. */
    object *clear_agent_errors(int argc, args_t argv)
    {
      check_arity("clear-agent-errors", argc, 1, 1);
      auto *a = as_agent(argv[0], "clear-agent-errors");
      a->agent_error = nullptr;
      return a->value;
    }

    /* A failed agent takes no actions until restarted: the JVM's
     * RuntimeException, with the agent's error as its cause. */
    void check_not_failed(cell_obj *a)
    {
      if(a->agent_error != nullptr)
      {
        throw_value(new ex_info_obj{ "Agent is failed, needs restart", nil(), a->agent_error, "java.lang.RuntimeException" });
      }
    }

    /* (send a f & args): the action runs now; a failure is kept as the
     * agent's error and fails later sends, as a failed agent does. */
    object *send(int argc, args_t argv)
    {
      check_arity("send", argc, 2, -1);
      auto *a = as_agent(argv[0], "send");
      check_not_failed(a);
      std::vector<object *> args{ a->value };
      args.insert(args.end(), argv + 2, argv + argc);
      /* *agent* is the agent whose action (or error handler) runs. */
      static var_obj *const current_agent = intern_var("clojure.core", "*agent*");
      struct agent_binding
      {
        explicit agent_binding(object *agent)
        {
          push_bindings(map_from({ current_agent, agent }));
        }
        ~agent_binding()
        {
          pop_bindings();
        }
        agent_binding(agent_binding const &) = delete;
        agent_binding &operator=(agent_binding const &) = delete;
      } const binding{ a };
      try
      {
        set_cell(a, invoke(argv[1], static_cast<int>(args.size()), args.data()));
      }
      catch(std::exception const &e)
      {
        auto *error = caught_value(e);
        if(a->error_handler != nullptr)
        {
          object *args[] = { a, error };
          invoke(a->error_handler, 2, args);
        }
        if(!a->error_continue)
        {
          a->agent_error = error;
        }
      }
      return a;
    }

    object *agent_error(int argc, args_t argv)
    {
      check_arity("agent-error", argc, 1, 1);
      auto *a = as_agent(argv[0], "agent-error");
      return a->agent_error == nullptr ? nil() : a->agent_error;
    }

    /* (restart-agent a state & opts) */
    object *restart_agent(int argc, args_t argv)
    {
      check_arity("restart-agent", argc, 2, -1);
      auto *a = as_agent(argv[0], "restart-agent");
      if(a->agent_error == nullptr)
      {
        fail("Agent does not need a restart");
      }
      a->agent_error = nullptr;
      set_cell(a, argv[1]);
      return argv[1];
    }

    /* (await & agents): every action already ran; a failed agent fails it,
     * as the JVM's await sends to each agent. */
    object *await_(int argc, args_t argv)
    {
      for(int i = 0; i < argc; ++i)
      {
        check_not_failed(as_agent(argv[i], "await"));
      }
      return nil();
    }

    /* (await-for timeout-ms & agents): true, for every action already ran. */
    object *await_for(int argc, args_t argv)
    {
      check_arity("await-for", argc, 1, -1);
      await_(argc - 1, argv + 1);
      return boolean(true);
    }

    /* (send-via executor a f & args): there is one executor, the page's thread. */
    object *send_via(int argc, args_t argv)
    {
      check_arity("send-via", argc, 3, -1);
      return send(argc - 1, argv + 1);
    }

    /* (shutdown-agents): no pool threads to stop; a program that ends with it runs. */
    object *shutdown_agents(int argc, args_t)
    {
      check_arity("shutdown-agents", argc, 0, 0);
      return nil();
    }

    /* (release-pending-sends): sends never wait for a transaction here. */
    object *release_pending_sends(int argc, args_t)
    {
      check_arity("release-pending-sends", argc, 0, 0);
      return integer(0);
    }

    // ---- futures --------------------------------------------------------------------------

    /* (future-call f): f runs now; the future is a delivered promise. What
     * f throws, its deref throws, wrapped as the JVM's Future.get wraps it. */
    object *future_call(int argc, args_t argv)
    {
      check_arity("future-call", argc, 1, 1);
      auto *f = new delay_obj{ nullptr };
      f->is_promise = true;
      f->is_future = true;
      try
      {
        f->value = invoke(argv[0], 0, nullptr);
      }
      catch(std::exception const &e)
      {
        auto *cause = caught_value(e);
        f->error = new ex_info_obj{ str(cause), nil(), cause, "java.util.concurrent.ExecutionException" };
      }
      return f;
    }

    object *future_done(int argc, args_t)
    {
      check_arity("future-done?", argc, 1, 1);
      return boolean(true);
    }

    object *future_cancel(int argc, args_t)
    {
      check_arity("future-cancel", argc, 1, 1);
      return boolean(false);
    }

    /* Nothing can cancel a future that ran when it was made. */
    object *future_cancelled(int argc, args_t)
    {
      check_arity("future-cancelled?", argc, 1, 1);
      return boolean(false);
    }

    /* (pmap f & colls) is map, (pcalls & fns) their values: one thread.
     * f runs with the bindings pmap was called in, as a future conveys
     * them, however late the lazy result is realized. */
    object *pmap(int argc, args_t argv)
    {
      check_arity("pmap", argc, 2, -1);
      std::vector<object *> args(argv, argv + argc);
      args[0] = call(core("bound-fn*"), { argv[0] });
      return invoke(deref(intern_var("clojure.core", "map")), argc, args.data());
    }

    object *pcalls(int argc, args_t argv)
    {
      std::vector<object *> values;
      for(int i = 0; i < argc; ++i)
      {
        values.push_back(invoke(argv[i], 0, nullptr));
      }
      return list_from(values);
    }

    // ---- taps -------------------------------------------------------------------------------

    std::vector<object *> &taps()
    {
      static std::vector<object *> fns;
      return fns;
    }

    object *add_tap(int argc, args_t argv)
    {
      check_arity("add-tap", argc, 1, 1);
      if(std::find(taps().begin(), taps().end(), argv[0]) == taps().end())
      {
        gc::retain(argv[0]);
        taps().push_back(argv[0]);
      }
      return nil();
    }

    object *remove_tap(int argc, args_t argv)
    {
      check_arity("remove-tap", argc, 1, 1);
      auto const found = std::find(taps().begin(), taps().end(), argv[0]);
      if(found != taps().end())
      {
        gc::release(*found);
        taps().erase(found);
      }
      return nil();
    }

    /* (tap> x): every tap gets x; a tap that throws does not stop the others. */
    object *tap(int argc, args_t argv)
    {
      check_arity("tap>", argc, 1, 1);
      for(auto *f : std::vector<object *>{ taps() })
      {
        try
        {
          invoke(f, 1, argv);
        }
        catch(std::exception const &)
        {
        }
      }
      return boolean(true);
    }

    native_entry const concurrency_fns[] = {
      { "ref", ref },
      { "ref-history-count", ref_history_count },
      { "ref-min-history",
        [](int argc, args_t argv) { return history_bound("ref-min-history", &cell_obj::min_history, argc, argv); } },
      { "ref-max-history",
        [](int argc, args_t argv) { return history_bound("ref-max-history", &cell_obj::max_history, argc, argv); } },
      { "alter", alter },
      { "commute", commute },
      { "ref-set", ref_set },
      { "ensure", ensure },
      { "sync*", sync },
      { "in-transaction?*", in_transaction_p },
      { "agent", agent },
      { "send", send },
      { "send-off", send },
      { "agent-error", agent_error },
      { "agent-errors", agent_errors },
      { "clear-agent-errors", clear_agent_errors },
      { "error-handler", error_handler },
      { "set-error-handler!", set_error_handler },
      { "error-mode", error_mode },
      { "set-error-mode!", set_error_mode },
      { "await1", [](int argc, args_t argv) {
         check_arity("await1", argc, 1, 1);
         return argv[0];
       } },
      { "restart-agent", restart_agent },
      { "await", await_ },
      { "await-for", await_for },
      { "send-via", send_via },
      { "shutdown-agents", shutdown_agents },
      { "release-pending-sends", release_pending_sends },
      { "future-cancelled?", future_cancelled },
      { "future-call", future_call },
      { "future-done?", future_done },
      { "future-cancel", future_cancel },
      { "pmap", pmap },
      { "pcalls", pcalls },
      { "add-tap", add_tap },
      { "remove-tap", remove_tap },
      { "tap>", tap },
    };
  }

  void install_concurrency()
  {
    install_natives(concurrency_fns);
    bind_root(intern_var("clojure.core", "*agent*"), nil());
    /* The loaded libs (clojure.core, *loaded-libs*): a ref of a sorted set,
     * as Clojure's, which code that unloads a namespace alters. The page
     * loads no lib by itself (the compiler sends each namespace's code), so
     * it starts empty. */
    auto *libs = new cell_obj{ call(core("sorted-set"), {}), true };
    libs->kind = reference::ref;
    bind_root(intern_var("clojure.core", "*loaded-libs*"), libs);
  }
}
