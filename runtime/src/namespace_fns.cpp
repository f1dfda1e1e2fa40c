// Namespaces as values. The compiler resolves names, aliases and refers when
// it compiles; these functions give code the same namespaces at run time:
// *ns*, the-ns, find-ns, create-ns, all-ns, ns-name, ns-interns, ns-publics,
// ns-aliases, alias, ns-unalias, ns-unmap, find-var, ns-resolve; and eval,
// which runs what it can without a compiler.
#include "namespace_fns.hpp"

#include <algorithm>

#include "classes.hpp"
#include "entry_table.hpp"
#include "lang.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace jhr
{
  namespace
  {
    std::string symbol_name(object *o, char const *op)
    {
      auto *sym = as<symbol_obj>(o, tag::symbol, "a symbol");
      if(!sym->ns.empty())
      {
        fail(std::string{ op } + " expects an unqualified symbol, got " + pr_str(o));
      }
      return sym->name;
    }

    /* A namespace or a symbol naming one, as Clojure's the-ns takes them. */
    namespace_obj *the_ns_of(object *o)
    {
      if(o != nullptr && o->type == tag::ns)
      {
        return static_cast<ns_obj *>(o)->ns;
      }
      auto const name = symbol_name(o, "the-ns");
      auto *ns = find_ns(name);
      if(ns == nullptr)
      {
        fail("No namespace: " + name + " found");
      }
      return ns;
    }

    object *the_ns(int argc, args_t argv)
    {
      check_arity("the-ns", argc, 1, 1);
      return ns_value(the_ns_of(argv[0]));
    }

    object *find_ns_(int argc, args_t argv)
    {
      check_arity("find-ns", argc, 1, 1);
      auto *ns = find_ns(symbol_name(argv[0], "find-ns"));
      return ns == nullptr ? nil() : ns_value(ns);
    }

    object *create_ns(int argc, args_t argv)
    {
      check_arity("create-ns", argc, 1, 1);
      return ns_value(intern_ns(symbol_name(argv[0], "create-ns")));
    }

    /* (code-ns* 'ns), what *ns* reads in code compiled in ns: a binding of
     * *ns* when code made one ((binding [*ns* n] ...)), else that namespace
     * (the page runs no REPL to bind it while a form loads). */
    object *code_ns(int argc, args_t argv)
    {
      check_arity("code-ns*", argc, 1, 1);
      static var_obj *const current = intern_var("clojure.core", "*ns*");
      if(has_binding(current))
      {
        return deref(current);
      }
      return create_ns(argc, argv);
    }

    object *all_ns(int argc, args_t)
    {
      check_arity("all-ns", argc, 0, 0);
      std::vector<object *> all;
      for(auto const &[name, ns] : all_namespaces())
      {
        /* Long, Arrays, clojure.lang.PersistentQueue: the holders of a
         * class's static members, which are classes to Clojure. */
        auto const last = name.substr(name.rfind('.') + 1);
        if(!last.empty() && std::isupper(static_cast<unsigned char>(last[0])))
        {
          continue;
        }
        all.push_back(ns_value(ns));
      }
      return list_from(all);
    }

    /* (loaded-libs): a sorted set of the namespaces the page has loaded,
     * as the JVM's lists what require loaded: clojure.core, user and the
     * page's own (jank.hot-reload...) aside. */
    object *loaded_libs(int argc, args_t)
    {
      check_arity("loaded-libs", argc, 0, 0);
      auto *out = call(core("sorted-set"), {});
      for(auto *ns : to_items(all_ns(0, nullptr)))
      {
        auto *name = call(core("ns-name"), { ns });
        auto const text = str(name);
        if(text != "clojure.core" && text != "user" && !text.starts_with("jank.hot-reload"))
        {
          out = conj(out, name);
        }
      }
      return out;
    }

    object *ns_name(int argc, args_t argv)
    {
      check_arity("ns-name", argc, 1, 1);
      return symbol("", the_ns_of(argv[0])->name);
    }

    bool has_meta_flag(var_obj *var, char const *flag)
    {
      object *args[] = { var };
      auto *meta = invoke(deref(intern_var("clojure.core", "meta")), 1, args);
      return truthy(get(meta, keyword("", flag), nil()));
    }

    bool is_private(var_obj *var)
    {
      return has_meta_flag(var, "private");
    }

    /* A map of a table's entries, in the table's order. */
    object *map_of(entry_table const &mappings)
    {
      std::vector<object *> kvs;
      mappings.for_each([&](object *name, object *value) {
        kvs.push_back(name);
        kvs.push_back(value);
      });
      return map_from(kvs);
    }

    /* {symbol var} of the namespace's own vars; publics leaves out ^:private.
     * Its entries come in the JVM's order: Clojure filters them out of the
     * namespace's mappings, a hash map, so even a small result lists them in
     * hash order (which is the order run-tests runs a namespace's tests in). */
    object *interns_map(object *ns_arg, bool publics_only)
    {
      auto mappings = entry_table::hashed();
      for(auto const &[name, var] : the_ns_of(ns_arg)->vars)
      {
        if(!(publics_only && is_private(var)))
        {
          mappings = mappings.assoc(symbol("", name), var);
        }
      }
      return map_of(mappings);
    }

    object *ns_interns(int argc, args_t argv)
    {
      check_arity("ns-interns", argc, 1, 1);
      return interns_map(argv[0], false);
    }

    object *ns_publics(int argc, args_t argv)
    {
      check_arity("ns-publics", argc, 1, 1);
      return interns_map(argv[0], true);
    }

    /* {symbol var} of what ns refers: clojure.core's public vars (but those
     * ns defines itself), then what its ns form, require, use and refer
     * brought in. */
    entry_table refers_of(namespace_obj *ns)
    {
      auto mappings = entry_table::hashed();
      if(ns->name != "clojure.core")
      {
        for(auto const &[name, var] : find_ns("clojure.core")->vars)
        {
          if(!ns->vars.contains(name) && !is_private(var))
          {
            mappings = mappings.assoc(symbol("", name), var);
          }
        }
      }
      for(auto const &[name, target] : ns->refers)
      {
        std::string target_ns, target_name;
        auto *var = split_qualified_name(target, target_ns, target_name) ? find_var(target_ns, target_name)
                                                                          : find_var(target, name);
        if(var != nullptr)
        {
          mappings = mappings.assoc(symbol("", name), var);
        }
      }
      return mappings;
    }

    object *ns_refers(int argc, args_t argv)
    {
      check_arity("ns-refers", argc, 1, 1);
      return map_of(refers_of(the_ns_of(argv[0])));
    }

    /* (ns-map ns): every mapping, as Clojure's namespaces hold them: the
     * java.lang classes by simple name, the refers, and ns's own vars. */
    object *ns_map(int argc, args_t argv)
    {
      check_arity("ns-map", argc, 1, 1);
      auto *ns = the_ns_of(argv[0]);
      auto mappings = refers_of(ns);
      for(auto *c : java_lang_classes())
      {
        auto const simple = c->name.substr(c->name.rfind('.') + 1);
        if(!ns->vars.contains(simple))
        {
          mappings = mappings.assoc(symbol("", simple), c);
        }
      }
      for(auto const &[name, var] : ns->vars)
      {
        mappings = mappings.assoc(symbol("", name), var);
      }
      return map_of(mappings);
    }

    /* (ns-imports ns): the classes ns maps by simple name, java.lang's. */
    object *ns_imports(int argc, args_t argv)
    {
      check_arity("ns-imports", argc, 1, 1);
      the_ns_of(argv[0]);
      auto mappings = entry_table::hashed();
      for(auto *c : java_lang_classes())
      {
        mappings = mappings.assoc(symbol("", c->name.substr(c->name.rfind('.') + 1)), c);
      }
      return map_of(mappings);
    }

    object *ns_aliases(int argc, args_t argv)
    {
      check_arity("ns-aliases", argc, 1, 1);
      std::vector<object *> kvs;
      for(auto const &[alias, target] : the_ns_of(argv[0])->aliases)
      {
        kvs.push_back(symbol("", alias));
        kvs.push_back(ns_value(intern_ns(target)));
      }
      return map_from(kvs);
    }

    /* (alias 'str 'clojure.string) in the current namespace (*ns*). */
    object *alias(int argc, args_t argv)
    {
      check_arity("alias", argc, 2, 2);
      auto *current = the_ns_of(deref(intern_var("clojure.core", "*ns*")));
      current->aliases[symbol_name(argv[0], "alias")] = the_ns_of(argv[1])->name;
      return nil();
    }

    /* (refer 'ns & filters) run by the page, inside a function, as
     * (binding [*ns* n] (refer 'clojure.core)) does: ns's public vars
     * referred in *ns*, with Clojure's :only, :exclude and :rename. A refer
     * at the top level is the compiler's, which then knows the names too. */
    object *refer(int argc, args_t argv)
    {
      if(argc < 1 || argc % 2 == 0)
      {
        fail("refer takes a namespace name and filters: (refer 'my.ns :only '[f g] :exclude '[h] :rename '{f g})");
      }
      auto *current = the_ns_of(deref(intern_var("clojure.core", "*ns*")));
      auto *from = the_ns_of(argv[0]);
      object *only = nullptr;
      object *exclude = set_from({});
      object *rename = map_from({});
      for(int i = 1; i < argc; i += 2)
      {
        auto const filter = str(argv[i]);
        if(filter == ":only")
        {
          only = call(core("set"), { argv[i + 1] });
        }
        else if(filter == ":exclude")
        {
          exclude = call(core("set"), { argv[i + 1] });
        }
        else if(filter == ":rename")
        {
          rename = argv[i + 1];
        }
      }
      for(auto const &[name, var] : from->vars)
      {
        auto *sym = symbol("", name);
        if(is_private(var) || contains(exclude, sym) || (only != nullptr && !contains(only, sym)))
        {
          continue;
        }
        auto *as = get(rename, sym, sym);
        current->refers[symbol_name(as, "refer")] = from->name + "/" + name;
      }
      return nil();
    }

    object *ns_unalias(int argc, args_t argv)
    {
      check_arity("ns-unalias", argc, 2, 2);
      the_ns_of(argv[0])->aliases.erase(symbol_name(argv[1], "ns-unalias"));
      return nil();
    }

    /* (remove-ns 'name): the namespace removed, or nil when there was none. */
    object *remove_ns(int argc, args_t argv)
    {
      check_arity("remove-ns", argc, 1, 1);
      auto const name = symbol_name(argv[0], "remove-ns");
      if(name == "clojure.core")
      {
        fail("Cannot remove clojure.core namespace");
      }
      auto *ns = find_ns(name);
      if(ns == nullptr)
      {
        return nil();
      }
      auto *value = ns_value(ns);
      remove_namespace(name);
      return value;
    }

    object *ns_unmap(int argc, args_t argv)
    {
      check_arity("ns-unmap", argc, 2, 2);
      unmap_var(the_ns_of(argv[0]), symbol_name(argv[1], "ns-unmap"));
      return nil();
    }

    /* (find-var 'ns/name): the var, or nil. */
    object *find_var_(int argc, args_t argv)
    {
      check_arity("find-var", argc, 1, 1);
      auto *sym = as<symbol_obj>(argv[0], tag::symbol, "a symbol");
      if(sym->ns.empty())
      {
        fail("find-var expects a namespace-qualified symbol, got " + sym->name);
      }
      if(find_ns(sym->ns) == nullptr)
      {
        fail("No such namespace: " + sym->ns);
      }
      auto *var = find_var(sym->ns, sym->name);
      return var == nullptr ? nil() : var;
    }

    /* (requiring-resolve 'ns/name): the var. Every namespace the page has is
     * loaded already (a patch carries its requires), so nothing is left to
     * require here. */
    object *requiring_resolve(int argc, args_t argv)
    {
      check_arity("requiring-resolve", argc, 1, 1);
      auto *sym = as<symbol_obj>(argv[0], tag::symbol, "a symbol");
      if(sym->ns.empty())
      {
        fail("Not a qualified symbol: " + sym->name);
      }
      auto *var = find_var(sym->ns, sym->name);
      if(var == nullptr && find_ns(sym->ns) == nullptr)
      {
        fail("Could not locate " + sym->ns + " in the page: require it in the namespace's ns form");
      }
      return var == nullptr ? nil() : var;
    }

    /* (ns-resolve ns sym): the var sym names in ns (its own, an alias's, or
     * clojure.core's), or nil. */
    object *ns_resolve(int argc, args_t argv)
    {
      check_arity("ns-resolve", argc, 2, 2);
      auto *ns = the_ns_of(argv[0]);
      auto *sym = as<symbol_obj>(argv[1], tag::symbol, "a symbol");
      var_obj *var = nullptr;
      if(sym->ns.empty())
      {
        var = find_var(ns->name, sym->name);
        if(auto const referred = ns->refers.find(sym->name); var == nullptr && referred != ns->refers.end())
        {
          /* A renamed refer's target is "ns/name". */
          std::string target_ns, target_name;
          var = split_qualified_name(referred->second, target_ns, target_name) ? find_var(target_ns, target_name)
                                                                              : find_var(referred->second, sym->name);
        }
        if(var == nullptr)
        {
          var = find_var("clojure.core", sym->name);
        }
      }
      else
      {
        auto const alias = ns->aliases.find(sym->ns);
        var = find_var(alias == ns->aliases.end() ? sym->ns : alias->second, sym->name);
      }
      if(var == nullptr)
      {
        return nil();
      }
      /* A deftype's or defrecord's name resolves to its class, as Clojure's
       * does: the var that holds the type under the type's own name. */
      if(var->root != nullptr && var->root->type == tag::record_type)
      {
        auto class_name = var->ns->name + "." + var->name;
        std::replace(class_name.begin(), class_name.end(), '-', '_');
        if(static_cast<record_type_obj *>(var->root)->name == class_name)
        {
          return var->root;
        }
      }
      return var;
    }

    /* (ns-links* 'ns {alias target} {name target}): the aliases and refers
     * the compiler gave ns (from its ns form, require, use and refer); a
     * renamed refer's target is ns/name. */
    object *ns_links(int argc, args_t argv)
    {
      check_arity("ns-links*", argc, 3, 3);
      auto *ns = intern_ns(symbol_name(argv[0], "ns-links*"));
      auto const links = [](object *table, std::map<std::string, std::string> &into) {
        for(auto *pair : to_items(table))
        {
          auto const key_value = to_items(pair);
          into[str(key_value.at(0))] = str(key_value.at(1));
        }
      };
      links(argv[1], ns->aliases);
      links(argv[2], ns->refers);
      return nil();
    }

    /* (resolve sym): ns-resolve in *ns*; (resolve env sym) ignores env. */
    object *resolve(int argc, args_t argv)
    {
      check_arity("resolve", argc, 1, 2);
      object *args[] = { deref(intern_var("clojure.core", "*ns*")), argv[argc - 1] };
      return ns_resolve(2, args);
    }

    object *eval_in(namespace_obj *ns, object *form);

    /* The special forms eval in the page can run; the rest, like macros,
     * exist only in the compiler. */
    object *eval_special(namespace_obj *ns, std::string const &op, std::vector<object *> const &items)
    {
      auto const operand = [&](size_t i) { return i < items.size() ? items[i] : nil(); };
      if(op == "quote")
      {
        return operand(1);
      }
      if(op == "if")
      {
        return eval_in(ns, truthy(eval_in(ns, operand(1))) ? operand(2) : operand(3));
      }
      if(op == "do")
      {
        object *result{ nil() };
        for(size_t i{ 1 }; i < items.size(); ++i)
        {
          result = eval_in(ns, items[i]);
        }
        return result;
      }
      if(op == "def")
      {
        auto *var = intern_var(ns->name, symbol_name(operand(1), "def"));
        if(items.size() > 2)
        {
          bind_root(var, eval_in(ns, items.back()));
        }
        return var;
      }
      if(op == "var")
      {
        object *args[] = { new ns_obj{ ns }, operand(1) };
        return ns_resolve(2, args);
      }
      if(op == "throw")
      {
        throw_value(eval_in(ns, operand(1)));
      }
      return nullptr;
    }

    /* (eval form), read in namespace ns. The page has no compiler: it runs
     * constants, symbols, collections of them, calls of functions, and
     * quote, if, do, def, var and throw. */
    object *eval_in(namespace_obj *ns, object *form)
    {
      switch(form->type)
      {
        case tag::symbol:
          {
            object *args[] = { new ns_obj{ ns }, form };
            object *var = ns_resolve(2, args);
            auto const needs_compiler = " (eval in the page runs function calls; a macro or a special form other "
                                        "than quote, if, do, def, var and throw needs the compiler: evaluate the form "
                                        "from the editor)";
            if(var->type == tag::nil)
            {
              fail("Unable to resolve symbol: " + pr_str(form) + " in this context" + needs_compiler);
            }
            auto *found = static_cast<var_obj *>(var);
            /* A macro's var, which the page has once code names it: the macro
             * itself lives in the compiler. */
            if(has_meta_flag(found, "macro"))
            {
              fail("Can't take value of a macro: " + pr_str(found) + needs_compiler);
            }
            /* As the compiler has it: another namespace's private var is
             * reached only through (var ...). */
            if(found->ns != ns && found->ns->name.rfind("clojure.", 0) != 0 && is_private(found))
            {
              fail("var: " + pr_str(found) + " is not public");
            }
            return deref(found);
          }
        case tag::vector:
        case tag::set:
          {
            std::vector<object *> items;
            for(auto *item : to_items(form))
            {
              items.push_back(eval_in(ns, item));
            }
            return form->type == tag::vector ? vector_from(std::move(items)) : set_from(items);
          }
        case tag::map:
          {
            std::vector<object *> keys_values;
            for(auto *entry : to_items(form))
            {
              keys_values.push_back(eval_in(ns, first(entry)));
              keys_values.push_back(eval_in(ns, first(rest(entry))));
            }
            return map_from(keys_values);
          }
        default:
          break;
      }
      if(call(core("seq?"), { form }) == boolean(false))
      {
        return form;
      }
      auto const items{ to_items(form) };
      if(items.empty())
      {
        return form;
      }
      if(auto *head = items[0]; head->type == tag::symbol && static_cast<symbol_obj *>(head)->ns.empty())
      {
        if(auto *value = eval_special(ns, static_cast<symbol_obj *>(head)->name, items))
        {
          return value;
        }
      }
      object *f{ eval_in(ns, items[0]) };
      std::vector<object *> args;
      for(size_t i{ 1 }; i < items.size(); ++i)
      {
        args.push_back(eval_in(ns, items[i]));
      }
      return invoke(f, static_cast<int>(args.size()), args.data());
    }

    /* (eval form): the compiler passes the namespace the call is written in,
     * as for resolve; the page binds no *ns* while a form runs. */
    object *eval(int argc, args_t argv)
    {
      check_arity("eval", argc, 1, 2);
      auto *ns = argc == 2 ? the_ns_of(argv[0]) : the_ns_of(deref(intern_var("clojure.core", "*ns*")));
      return eval_in(ns, argv[argc - 1]);
    }

    /* (macroexpand form) and (macroexpand-1 form) of a form only known
     * when the page runs (the compiler expands a quoted one itself): the
     * page has no macros, so a form that calls one is an error, and any
     * other form is its own expansion, as Clojure's. A library's code
     * walker, which its macros call in the compiler, loads and runs. */
    object *expand_in_page(char const *op, object *form)
    {
      if(form->type != tag::list && form->type != tag::cons && form->type != tag::lazy_seq)
      {
        return form;
      }
      auto *head = seq(form) == nil() ? nil() : first(form);
      if(head->type != tag::symbol)
      {
        return form;
      }
      object *args[] = { deref(intern_var("clojure.core", "*ns*")), head };
      auto *var = ns_resolve(2, args);
      if(var->type == tag::var && truthy(get(call(core("meta"), { var }), keyword("", "macro"), nil())))
      {
        fail(std::string{ op } + " of " + pr_str(form)
             + " needs the compiler: the page has no macros to expand it with. Expand a quoted form, ("
             + op + " '(when x y)), which the compiler answers, or the form in a macro");
      }
      return form;
    }

    object *macroexpand(int argc, args_t argv)
    {
      check_arity("macroexpand", argc, 1, 1);
      return expand_in_page("macroexpand", argv[0]);
    }

    object *macroexpand_1(int argc, args_t argv)
    {
      check_arity("macroexpand-1", argc, 1, 1);
      return expand_in_page("macroexpand-1", argv[0]);
    }

    native_entry const namespace_fns[] = {
      { "the-ns", the_ns },
      { "find-ns", find_ns_ },
      { "create-ns", create_ns },
      /* The namespace code is written in, where it reads *ns* (the page
       * binds none while it runs); a macro's is the one being compiled. */
      { "code-ns*", code_ns },
      { "all-ns", all_ns },
      { "loaded-libs", loaded_libs },
      { "ns-name", ns_name },
      { "ns-interns", ns_interns },
      { "ns-publics", ns_publics },
      { "ns-aliases", ns_aliases },
      { "ns-refers", ns_refers },
      { "ns-map", ns_map },
      { "ns-imports", ns_imports },
      { "alias", alias },
      { "refer", refer },
      { "ns-unalias", ns_unalias },
      { "ns-unmap", ns_unmap },
      { "remove-ns", remove_ns },
      { "find-var", find_var_ },
      { "ns-resolve", ns_resolve },
      { "requiring-resolve", requiring_resolve },
      { "resolve", resolve },
      { "ns-links*", ns_links },
      { "eval", eval },
      { "macroexpand", macroexpand },
      { "macroexpand-1", macroexpand_1 },
    };
  }

  void install_namespace_fns()
  {
    install_natives(namespace_fns);
    /* The compiler reads *ns* as the namespace code was compiled in; the
     * root is where a REPL starts. */
    auto *ns = intern_var("clojure.core", "*ns*");
    bind_root(ns, ns_value(intern_ns("user")));
  }
}
