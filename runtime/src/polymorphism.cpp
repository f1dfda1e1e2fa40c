// Multimethods, protocols and records: what defmulti/defmethod,
// defprotocol/extend-type/extend-protocol and defrecord expand into.
//
// A multimethod picks its method by the dispatch value (compared with =, then
// its :default). A protocol function picks by the type of its first argument:
// a record's or deftype's type, or a keyword naming a built-in kind (:string,
// :integer, ...), then :number for numbers, then :default.
#include "polymorphism.hpp"
#include "line_numbering.hpp"
#include "jvm_classes.hpp"

#include "io.hpp"

#include "classes.hpp"
#include "gc.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "text.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <unordered_map>

namespace jhr
{
  namespace
  {

    template <typename T>
    T *expect(object *o, tag t, char const *op, char const *what)
    {
      if(o->type != t)
      {
        fail(std::string{ op } + " expects " + what + ", got " + type_name(o));
      }
      return static_cast<T *>(o);
    }

    object *find(std::vector<std::pair<object *, object *>> const &pairs, object *key)
    {
      for(auto const &[k, v] : pairs)
      {
        if(k == key || equals(k, key))
        {
          return v;
        }
      }
      return nullptr;
    }

    void put(std::vector<std::pair<object *, object *>> &pairs, object *key, object *value)
    {
      for(auto &entry : pairs)
      {
        if(entry.first == key || equals(entry.first, key))
        {
          entry.second = value;
          return;
        }
      }
      pairs.emplace_back(key, value);
    }

    // ---- hierarchies (derive, isa?) ----------------------------------------------------

    object *kw(char const *name)
    {
      return keyword("", name);
    }

    object *empty_hierarchy()
    {
      return map_from({ kw("parents"), map_from({}), kw("descendants"), map_from({}), kw("ancestors"), map_from({}) });
    }

    /* The global hierarchy lives in a var, so the collector sees it as a root. */
    var_obj *global_hierarchy_var()
    {
      static var_obj *var = [] {
        auto *v = intern_var("clojure.core", "global-hierarchy");
        bind_root(v, empty_hierarchy());
        return v;
      }();
      return var;
    }

    object *global_hierarchy()
    {
      return deref(global_hierarchy_var());
    }

    /* (get-in h [part tag]) as a set, #{} when absent. */
    object *related(object *h, char const *part, object *tag_value)
    {
      return get(get(h, kw(part), map_from({})), tag_value, set_from({}));
    }

    bool isa_in(object *h, object *child, object *parent)
    {
      if(equals(child, parent) || contains(related(h, "ancestors", child), parent))
      {
        return true;
      }
      if(child->type == tag::record_type && parent->type == tag::record_type
         && class_isa(static_cast<record_type_obj *>(child), static_cast<record_type_obj *>(parent)))
      {
        return true;
      }
      /* (derive java.util.Map ::mapish): a class is what its supertypes were derived from. */
      if(child->type == tag::record_type)
      {
        for(auto *s : to_items(class_supers(static_cast<record_type_obj *>(child))))
        {
          if(contains(related(h, "ancestors", s), parent))
          {
            return true;
          }
        }
      }
      if(child->type == tag::vector && parent->type == tag::vector && count(child) == count(parent))
      {
        auto cs = to_items(child);
        auto ps = to_items(parent);
        for(size_t i = 0; i < cs.size(); ++i)
        {
          if(!isa_in(h, cs[i], ps[i]))
          {
            return false;
          }
        }
        return true;
      }
      return false;
    }

    /* For source and everything related to it through `sources`: add target
     * and everything related to target through `targets` (Clojure's derive). */
    object *propagate(object *m, object *source, object *sources, object *target, object *targets)
    {
      std::vector<object *> keys{ source };
      auto more = to_items(get(sources, source, set_from({})));
      keys.insert(keys.end(), more.begin(), more.end());
      for(auto *k : keys)
      {
        auto *set = get(m, k, set_from({}));
        set = conj(set, target);
        for(auto *t : to_items(get(targets, target, set_from({}))))
        {
          set = conj(set, t);
        }
        m = assoc(m, k, set);
      }
      return m;
    }

    object *derive_in(object *h, object *child, object *parent)
    {
      /* Clojure's derive asserts these, and names the failed form. */
      if(equals(child, parent))
      {
        fail("Assert failed: (not= tag parent)");
      }
      auto *parents = get(h, kw("parents"), map_from({}));
      auto *descendants = get(h, kw("descendants"), map_from({}));
      auto *ancestors = get(h, kw("ancestors"), map_from({}));
      if(contains(get(parents, child, set_from({})), parent))
      {
        return h;
      }
      if(contains(get(ancestors, child, set_from({})), parent))
      {
        fail(pr_str(child) + " already has " + pr_str(parent) + " as ancestor");
      }
      if(contains(get(ancestors, parent, set_from({})), child))
      {
        fail("Cyclic derivation: " + pr_str(parent) + " has " + pr_str(child) + " as ancestor");
      }
      return map_from({ kw("parents"), assoc(parents, child, conj(get(parents, child, set_from({})), parent)),
                        kw("ancestors"), propagate(ancestors, child, descendants, parent, ancestors),
                        kw("descendants"), propagate(descendants, parent, ancestors, child, descendants) });
    }

    /* (derive tag parent) changes the global hierarchy; (derive h tag parent) returns a new one. */
    object *derive(int argc, args_t argv)
    {
      check_arity("derive", argc, 2, 3);
      if(argc == 3)
      {
        return derive_in(argv[0], argv[1], argv[2]);
      }
      auto const namespaced = [](object *o) {
        return (o->type == tag::keyword && !static_cast<keyword_obj *>(o)->ns.empty())
               || (o->type == tag::symbol && !static_cast<symbol_obj *>(o)->ns.empty());
      };
      if(!namespaced(argv[1]))
      {
        fail("Assert failed: (namespace parent)");
      }
      if(!namespaced(argv[0]) && argv[0]->type != tag::record_type)
      {
        fail("Assert failed: (or (class? tag) (and (instance? clojure.lang.Named tag) (namespace tag)))");
      }
      bind_root(global_hierarchy_var(), derive_in(global_hierarchy(), argv[0], argv[1]));
      return nil();
    }

    /* Rebuilt from the remaining parent links, as Clojure's underive does. */
    object *underive_in(object *h, object *child, object *parent)
    {
      object *out = empty_hierarchy();
      for(auto *e : to_items(get(h, kw("parents"), map_from({}))))
      {
        auto *entry = static_cast<vector_obj *>(e);
        for(auto *p : to_items(entry->at(1)))
        {
          if(!(equals(entry->at(0), child) && equals(p, parent)))
          {
            out = derive_in(out, entry->at(0), p);
          }
        }
      }
      return out;
    }

    object *underive(int argc, args_t argv)
    {
      check_arity("underive", argc, 2, 3);
      if(argc == 3)
      {
        return underive_in(argv[0], argv[1], argv[2]);
      }
      bind_root(global_hierarchy_var(), underive_in(global_hierarchy(), argv[0], argv[1]));
      return nil();
    }

    object *make_hierarchy(int argc, args_t)
    {
      check_arity("make-hierarchy", argc, 0, 0);
      return empty_hierarchy();
    }

    object *isa_p(int argc, args_t argv)
    {
      check_arity("isa?", argc, 2, 3);
      return argc == 3 ? boolean(isa_in(argv[0], argv[1], argv[2]))
                       : boolean(isa_in(global_hierarchy(), argv[0], argv[1]));
    }

    /* parents, ancestors and descendants: nil when there are none, as in Clojure. */
    object *relation(char const *name, char const *part, int argc, args_t argv)
    {
      check_arity(name, argc, 1, 2);
      auto *h = argc == 2 ? argv[0] : global_hierarchy();
      auto *set = related(h, part, argv[argc - 1]);
      return count(set) == 0 ? nil() : set;
    }

    /* A class's parents are its direct supertypes and what derive gave it,
     * as in Clojure. */
    object *parents(int argc, args_t argv)
    {
      check_arity("parents", argc, 1, 2);
      auto *h = argc == 2 ? argv[0] : global_hierarchy();
      auto *tag_value = argv[argc - 1];
      auto *set = related(h, "parents", tag_value);
      if(tag_value->type == tag::record_type)
      {
        for(auto *b : to_items(class_bases(static_cast<record_type_obj *>(tag_value))))
        {
          set = conj(set, b);
        }
      }
      return count(set) == 0 ? nil() : set;
    }

    /* A class's ancestors are its supertypes, what derive gave it, and what
     * derive gave each supertype, as in Clojure. */
    object *ancestors(int argc, args_t argv)
    {
      check_arity("ancestors", argc, 1, 2);
      auto *h = argc == 2 ? argv[0] : global_hierarchy();
      auto *tag_value = argv[argc - 1];
      auto *set = related(h, "ancestors", tag_value);
      if(tag_value->type == tag::record_type)
      {
        auto *supertypes = class_supers(static_cast<record_type_obj *>(tag_value));
        for(auto *s : to_items(supertypes))
        {
          set = conj(set, s);
          for(auto *a : to_items(related(h, "ancestors", s)))
          {
            set = conj(set, a);
          }
        }
      }
      return count(set) == 0 ? nil() : set;
    }

    object *descendants(int argc, args_t argv)
    {
      return relation("descendants", "descendants", argc, argv);
    }

    // ---- multimethods -------------------------------------------------------------

    /* Whether defmulti keeps the var's value: only a multimethod is kept. */
    object *multi_fn_p(int argc, args_t argv)
    {
      check_arity("multi-fn?*", argc, 1, 1);
      return boolean(argv[0]->type == tag::multi_fn);
    }

    /* (multi-fn* name dispatch-fn default hierarchy-ref?) */
    object *multi_fn(int argc, args_t argv)
    {
      check_arity("multi-fn*", argc, 3, 4);
      auto *mf = new multi_fn_obj{ str(argv[0]), argv[1], argv[2] };
      if(argc == 4 && argv[3]->type != tag::nil)
      {
        mf->hierarchy = argv[3];
      }
      return mf;
    }

    /* The hierarchy a multimethod dispatches in: its own :hierarchy's value
     * now (a derive after defmulti counts), else the global one. */
    object *hierarchy_of(multi_fn_obj const *mf)
    {
      if(mf->hierarchy == nullptr)
      {
        return global_hierarchy();
      }
      switch(mf->hierarchy->type)
      {
        case tag::var:
          return deref(static_cast<var_obj *>(mf->hierarchy));
        case tag::cell:
          return static_cast<cell_obj *>(mf->hierarchy)->value;
        default:
          fail(std::string{ "defmulti's :hierarchy must be a reference to a hierarchy (a var or an atom), got " }
               + type_name(mf->hierarchy));
      }
    }

    object *add_method(int argc, args_t argv)
    {
      check_arity("add-method*", argc, 3, 3);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "defmethod", "a multimethod");
      put(mf->methods, argv[1], argv[2]);
      return mf;
    }

    object *remove_method(int argc, args_t argv)
    {
      check_arity("remove-method", argc, 2, 2);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "remove-method", "a multimethod");
      std::erase_if(mf->methods, [&](auto const &m) { return equals(m.first, argv[1]); });
      return mf;
    }

    object *remove_all_methods(int argc, args_t argv)
    {
      check_arity("remove-all-methods", argc, 1, 1);
      auto *mf
        = expect<multi_fn_obj>(argv[0], tag::multi_fn, "remove-all-methods", "a multimethod");
      mf->methods.clear();
      return mf;
    }

    /* a is preferred over b, directly or through a's or b's ancestors. */
    bool prefers_over(multi_fn_obj *mf, object *h, object *a, object *b)
    {
      if(auto *over = find(mf->prefers, a); over != nullptr && contains(over, b))
      {
        return true;
      }
      for(auto *p : to_items(related(h, "parents", b)))
      {
        if(prefers_over(mf, h, a, p))
        {
          return true;
        }
      }
      for(auto *p : to_items(related(h, "parents", a)))
      {
        if(prefers_over(mf, h, p, b))
        {
          return true;
        }
      }
      return false;
    }

    bool dominates(multi_fn_obj *mf, object *h, object *a, object *b)
    {
      return prefers_over(mf, h, a, b) || isa_in(h, a, b);
    }

    /* The method for a dispatch value: an exact match, else the one whose
     * value the dispatch value isa? and that dominates every other such, else
     * :default's (Clojure's findAndCacheBestMethod). */
    object *method_for(multi_fn_obj *mf, object *dispatch_value)
    {
      if(auto *m = find(mf->methods, dispatch_value))
      {
        return m;
      }
      auto *h = hierarchy_of(mf);
      std::pair<object *, object *> const *best = nullptr;
      for(auto const &entry : mf->methods)
      {
        if(!isa_in(h, dispatch_value, entry.first))
        {
          continue;
        }
        if(best == nullptr || dominates(mf, h, entry.first, best->first))
        {
          best = &entry;
        }
        if(!dominates(mf, h, best->first, entry.first))
        {
          /* The JVM names the multimethod without its namespace. */
          auto const slash = mf->name.find('/');
          auto const simple = slash == std::string::npos ? mf->name : mf->name.substr(slash + 1);
          fail("Multiple methods in multimethod '" + simple + "' match dispatch value: "
               + pr_str(dispatch_value) + " -> " + pr_str(entry.first) + " and " + pr_str(best->first)
               + ", and neither is preferred");
        }
      }
      return best != nullptr ? best->second : find(mf->methods, mf->default_value);
    }

    object *get_method(int argc, args_t argv)
    {
      check_arity("get-method", argc, 2, 2);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "get-method", "a multimethod");
      auto *m = method_for(mf, argv[1]);
      return m == nullptr ? nil() : m;
    }

    object *methods(int argc, args_t argv)
    {
      check_arity("methods", argc, 1, 1);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "methods", "a multimethod");
      /* A hash map, as MultiFn's method table is, so it prints in the JVM's order. */
      object *out = new map_obj{ entry_table::hashed() };
      for(auto const &[k, v] : mf->methods)
      {
        out = assoc(out, k, v);
      }
      return out;
    }

    object *prefer_method(int argc, args_t argv)
    {
      check_arity("prefer-method", argc, 3, 3);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "prefer-method", "a multimethod");
      if(prefers_over(mf, hierarchy_of(mf), argv[2], argv[1]))
      {
        auto const slash = mf->name.find('/');
        fail("Preference conflict in multimethod '" + (slash == std::string::npos ? mf->name : mf->name.substr(slash + 1))
             + "': " + pr_str(argv[2]) + " is already preferred to " + pr_str(argv[1]));
      }
      auto *over = find(mf->prefers, argv[1]);
      put(mf->prefers, argv[1], conj(over == nullptr ? set_from({}) : over, argv[2]));
      return mf;
    }

    object *prefers(int argc, args_t argv)
    {
      check_arity("prefers", argc, 1, 1);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "prefers", "a multimethod");
      std::vector<object *> kvs;
      for(auto const &[k, v] : mf->prefers)
      {
        kvs.push_back(k);
        kvs.push_back(v);
      }
      return map_from(kvs);
    }

    // ---- protocols ------------------------------------------------------------------

    bool is_deftype_instance(object *x);

    /* Whether x is an instance of class c, as instance? answers. */
    bool is_instance(record_type_obj *wanted, object *x)
    {
      if(wanted == class_named("clojure.lang.IType") && is_deftype_instance(x))
      {
        return true;
      }
      if(x->type == tag::record)
      {
        /* A record is a persistent map as well as its own class. */
        for(auto const *name : { "clojure.lang.IRecord", "clojure.lang.IPersistentMap", "java.util.Map", "clojure.lang.IObj" })
        {
          if(class_isa(class_named(name), wanted))
          {
            return true;
          }
        }
      }
      auto *c = class_of(x);
      return c->type == tag::record_type && class_isa(static_cast<record_type_obj *>(c), wanted);
    }

    /* The impl f has for a built-in class or interface that target is an
     * instance of (extend-protocol P clojure.lang.Sequential ...), the most
     * specific one when several match; null when none. Object is not here:
     * it is the :default key, tried last. */
    object *impl_by_class(protocol_fn_obj *f, object *target)
    {
      record_type_obj *best = nullptr;
      object *best_impl = nullptr;
      for(auto const &[key, impl] : f->impls)
      {
        if(key->type != tag::record_type || !is_builtin_class(key))
        {
          continue;
        }
        auto *c = static_cast<record_type_obj *>(key);
        if(is_instance(c, target) && (best == nullptr || class_isa(c, best)))
        {
          best = c;
          best_impl = impl;
        }
      }
      return best_impl;
    }

    /* The keyword naming an object's built-in kind, or its record type. */
    object *type_key(object *o)
    {
      switch(o->type)
      {
        case tag::record:
          return static_cast<record_obj *>(o)->type;
        case tag::instance:
          return static_cast<instance_obj *>(o)->type;
        case tag::uuid:
          return keyword("", "uuid");
        case tag::inst:
          return keyword("", "inst");
        case tag::nil:
          return keyword("", "nil");
        case tag::boolean:
          return keyword("", "boolean");
        case tag::integer:
          return keyword("", "integer");
        case tag::real:
          return keyword("", "double");
        case tag::string:
          return keyword("", "string");
        case tag::character:
          return keyword("", "char");
        case tag::keyword:
          return keyword("", "keyword");
        case tag::symbol:
          return keyword("", "symbol");
        case tag::vector:
          return keyword("", "vector");
        case tag::map:
          return keyword("", "map");
        case tag::set:
          return keyword("", "set");
        case tag::list:
        case tag::vector_seq:
        case tag::long_range:
        case tag::lazy_seq:
        case tag::cons:
          return keyword("", "seq");
        case tag::fn:
        case tag::multi_fn:
        case tag::protocol_fn:
          return keyword("", "fn");
        default:
          return keyword("", type_name(o));
      }
    }

    /* The key a protocol keeps its implementation for type t under: a
     * record's or deftype's type, or the keyword for a built-in class. */
    object *protocol_key(object *t, char const *op)
    {
      if(t->type == tag::nil)
      {
        return keyword("", "nil");
      }
      if(is_builtin_class(t))
      {
        if(auto *key = class_type_key(static_cast<record_type_obj *>(t)))
        {
          return key;
        }
        /* An interface or class that no one kind stands for (Sequential,
         * Counted, java.util.Collection): keyed by itself, and found by
         * walking the target's supertypes (impl_by_class). */
        return t;
      }
      /* A protocol stands for its JVM interface: what implements it inline
       * (impl_by_interface). */
      if(t->type != tag::keyword && t->type != tag::record_type && t->type != tag::protocol)
      {
        fail(std::string{ op } + " expects a type, got " + type_name(t));
      }
      return t;
    }

    /* The impl f has for a protocol's interface that target's type
     * implements inline (extend-protocol P my.ns.OtherProtocol ...), as a
     * JVM class implements the interface a protocol defines; null when none. */
    object *impl_by_interface(protocol_fn_obj *f, object *target)
    {
      if(target->type != tag::instance && target->type != tag::record)
      {
        return nullptr;
      }
      auto *type = type_key(target);
      for(auto const &[key, impl] : f->impls)
      {
        if(key->type != tag::protocol)
        {
          continue;
        }
        auto const &types = static_cast<protocol_obj *>(key)->implemented_inline;
        if(std::find(types.begin(), types.end(), type) != types.end())
        {
          return impl;
        }
      }
      return nullptr;
    }

    object *impl_for(protocol_fn_obj *f, object *target)
    {
      auto *key = type_key(target);
      if(auto *impl = find(f->impls, key))
      {
        return impl;
      }
      if(is_number(target))
      {
        if(auto *impl = find(f->impls, keyword("", "number")))
        {
          return impl;
        }
      }
      /* A record is an IPersistentMap before it is an Object. */
      if(target->type == tag::record)
      {
        if(auto *impl = find(f->impls, keyword("", "map")))
        {
          return impl;
        }
      }
      if(auto *impl = impl_by_class(f, target))
      {
        return impl;
      }
      if(auto *impl = impl_by_interface(f, target))
      {
        return impl;
      }
      /* Object's covers every value but nil, as on the JVM; ClojureScript's
       * default covers nil too. */
      if(target->type != tag::nil)
      {
        if(auto *impl = find(f->impls, keyword("", "object")))
        {
          return impl;
        }
      }
      return find(f->impls, keyword("", "default"));
    }

    object *protocol(int argc, args_t argv)
    {
      check_arity("protocol*", argc, 1, 2);
      auto *p = new protocol_obj{ str(argv[0]) };
      p->via_metadata = argc == 2 && truthy(get(argv[1], keyword("", "extend-via-metadata"), nil()));
      return p;
    }

    object *protocol_method(int argc, args_t argv)
    {
      check_arity("protocol-method*", argc, 2, 2);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "defprotocol", "a protocol");
      auto *f = new protocol_fn_obj{ p->name, str(argv[1]) };
      f->via_metadata = p->via_metadata;
      /* A defprotocol evaluated again (a reloaded file) keeps the extensions
       * its methods had, as Clojure's keeps the protocol's :impls: an
       * extend-type in another namespace is not lost. */
      auto const slash = p->name.find('/');
      if(slash != std::string::npos)
      {
        auto *previous = find_var(p->name.substr(0, slash), f->method);
        if(previous != nullptr && previous->root != nullptr && previous->root->type == tag::protocol_fn)
        {
          auto const *old = static_cast<protocol_fn_obj const *>(previous->root);
          if(old->protocol == f->protocol && old->method == f->method)
          {
            f->impls = old->impls;
          }
        }
      }
      p->methods.push_back(f);
      return f;
    }

    object *add_protocol_impl(int argc, args_t argv)
    {
      check_arity("add-protocol-impl*", argc, 3, 3);
      auto *f = expect<protocol_fn_obj>(argv[0], tag::protocol_fn, "extend-type",
                                        "a protocol method (is it defined by defprotocol?)");
      put(f->impls, protocol_key(argv[1], "extend-type"), argv[2]);
      return f;
    }

    /* (extend atype proto {:method fn ...} proto2 {...}): extend-type as a
     * function, with the methods in maps keyed by their names. */
    object *extend(int argc, args_t argv)
    {
      check_arity("extend", argc, 1, -1);
      if(argc % 2 != 1)
      {
        fail("extend takes a type, then protocols each followed by a map of methods");
      }
      auto *type = protocol_key(argv[0], "extend");
      for(int i = 1; i + 1 < argc; i += 2)
      {
        auto *p = expect<protocol_obj>(argv[i], tag::protocol, "extend", "a protocol");
        for(auto *entry : to_items(argv[i + 1]))
        {
          auto *key = first(entry);
          auto *fn = first(rest(entry));
          auto const method_name = key->type == tag::keyword ? static_cast<keyword_obj *>(key)->name : str(key);
          auto const found = std::find_if(p->methods.begin(), p->methods.end(), [&](protocol_fn_obj *m) {
            return m->method == method_name;
          });
          if(found == p->methods.end())
          {
            fail("extend: " + p->name + " has no method " + method_name);
          }
          put((*found)->impls, type, fn);
        }
      }
      return nil();
    }

    object *satisfies(int argc, args_t argv)
    {
      check_arity("satisfies?", argc, 2, 2);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "satisfies?", "a protocol");
      /* As Clojure's: the type has an implementation of the protocol, even
       * of only some of its methods (a method added by a redefinition, or
       * left out of an extend, throws when called). */
      object *own_type = argv[1]->type == tag::instance ? static_cast<instance_obj *>(argv[1])->type
        : argv[1]->type == tag::record                  ? static_cast<record_obj *>(argv[1])->type
                                                         : nullptr;
      /* A marker definterface (no methods) is satisfied by the types that
       * list it. */
      auto const &inline_types = p->implemented_inline;
      if(own_type != nullptr && std::find(inline_types.begin(), inline_types.end(), own_type) != inline_types.end())
      {
        return boolean(true);
      }
      return boolean(std::any_of(p->methods.begin(), p->methods.end(),
                                 [&](protocol_fn_obj *method) { return impl_for(method, argv[1]) != nullptr; }));
    }

    /* (extends?* P key): P is extended to the type itself (not
     * through Number or Object), as extends? asks; key is from type-key. */
    object *extends(int argc, args_t argv)
    {
      check_arity("extends?", argc, 2, 2);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "extends?", "a protocol");
      return boolean(std::any_of(p->methods.begin(), p->methods.end(),
                                 [&](protocol_fn_obj *method) { return find(method->impls, argv[1]) != nullptr; }));
    }

    /* (implemented-inline* P T): T's defrecord or deftype implements P. */
    object *implemented_inline(int argc, args_t argv)
    {
      check_arity("implemented-inline*", argc, 2, 2);
      if(argv[0]->type == tag::record_type && argv[1]->type == tag::record_type)
      {
        /* A JVM interface the page has as a class (clojure.lang.Fn,
         * clojure.lang.IType): the type declares it, as type-interface*. */
        auto &interfaces = static_cast<record_type_obj *>(argv[1])->interfaces;
        auto const &name = static_cast<record_type_obj *>(argv[0])->name;
        if(std::find(interfaces.begin(), interfaces.end(), name) == interfaces.end())
        {
          interfaces.push_back(name);
        }
        return nil();
      }
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "deftype", "a protocol or interface");
      auto &types = p->implemented_inline;
      if(std::find(types.begin(), types.end(), argv[1]) == types.end())
      {
        types.push_back(argv[1]);
      }
      if(argv[1]->type == tag::record_type)
      {
        auto &own = static_cast<record_type_obj *>(argv[1])->inline_protocols;
        if(std::find(own.begin(), own.end(), p) == own.end())
        {
          own.push_back(p);
        }
      }
      return nil();
    }

    /* (extenders P): the types P's methods are extended to, as classes (a
     * built-in kind by its class, :string as String) and record types; nil
     * for nil. */
    object *extenders(int argc, args_t argv)
    {
      check_arity("extenders", argc, 1, 1);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "extenders", "a protocol");
      std::vector<object *> keys;
      for(auto *method : p->methods)
      {
        for(auto const &[key, impl] : method->impls)
        {
          if(std::find(keys.begin(), keys.end(), key) == keys.end())
          {
            keys.push_back(key);
          }
        }
      }
      std::vector<object *> types;
      for(auto *key : keys)
      {
        auto const &inline_types = p->implemented_inline;
        if(std::find(inline_types.begin(), inline_types.end(), key) != inline_types.end())
        {
          continue;
        }
        if(key->type != tag::keyword)
        {
          types.push_back(key);
        }
        else if(auto const &name = static_cast<keyword_obj *>(key)->name; name == "nil")
        {
          types.push_back(nil());
        }
        else if(auto *c = class_for_type_key(name))
        {
          types.push_back(c);
        }
        else
        {
          types.push_back(key);
        }
      }
      return types.empty() ? nil() : list_from(types);
    }

    // ---- records ----------------------------------------------------------------------

    object *record_type(int argc, args_t argv)
    {
      check_arity("record-type*", argc, 2, 2);
      return new record_type_obj{ str(argv[0]), to_items(argv[1]) };
    }

    /* (record-to-string* T f): defrecord's `Object (toString [this] ...)`,
     * which `str` calls for T's records. Printing keeps the map form. */
    object *record_to_string(int argc, args_t argv)
    {
      check_arity("record-to-string*", argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "defrecord", "a record type");
      t->to_string = argv[1];
      return nil();
    }

    /* (type-method* T :deref f): deftype's, defrecord's or reify's
     * implementation of a method of Clojure's own interfaces. */
    void upsert_method(record_type_obj *t, std::string const &method, object *f)
    {
      auto found = std::find_if(t->methods.begin(), t->methods.end(), [&](auto const &m) { return m.first == method; });
      if(found == t->methods.end())
      {
        t->methods.emplace_back(method, f);
      }
      else
      {
        found->second = f;
      }
    }

    object *type_method(int argc, args_t argv)
    {
      check_arity("type-method*", argc, 3, 4);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "deftype", "a type");
      /* The Java method's own name too (Runnable's run for the :invoke slot),
       * so that (.run x) finds it (interop-method*). */
      if(argc == 4)
      {
        upsert_method(t, str(argv[3]), argv[2]);
      }
      static std::pair<char const *, object *record_type_obj::*> const slots[] = {
        { ":deref", &record_type_obj::deref_fn }, { ":invoke", &record_type_obj::invoke_fn },
        { ":lookup", &record_type_obj::lookup_fn }, { ":count", &record_type_obj::count_fn },
        { ":seq", &record_type_obj::seq_fn }, { ":equals", &record_type_obj::equals_fn },
        { ":hash", &record_type_obj::hash_fn }, { ":close", &record_type_obj::close_fn },
        { ":compare", &record_type_obj::compare_fn },
      };
      auto const which = str(argv[1]);
      /* A Java interface's method no Clojure function calls (java.util.Set's
       * contains, size): only (.contains x v) finds it, by its name. */
      if(which == ":named")
      {
        return nil();
      }
      for(auto const &[name, slot] : slots)
      {
        if(which == name)
        {
          t->*slot = argv[2];
          return nil();
        }
      }
      static constexpr std::string_view by_name[] = {
        "nth",  "cons",  "empty", "peek",     "pop",    "meta",    "withMeta", "containsKey", "entryAt",
        "assoc", "without", "rseq", "first", "next", "more", "iterator", "assocN", "write", "flush", "append",
        "applyTo", "reduce", "kvreduce", "hasNext", "comparator", "entryKey", "seqFrom", "isRealized",
        "initialValue", "getKey", "getValue",
      };
      auto const method = which.substr(1);
      if(which.starts_with(":") && std::find(std::begin(by_name), std::end(by_name), method) != std::end(by_name))
      {
        upsert_method(t, method, argv[2]);
        return nil();
      }
      fail("type-method*: no interface method " + which);
    }

    /* (type-interface* T 'ISeq): T declares the interface, named as the
     * deftype, defrecord or reify wrote it; a simple name is one of
     * clojure.lang's, or of Java's for the few the interface table has. */
    object *type_interface(int argc, args_t argv)
    {
      check_arity("type-interface*", argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "deftype", "a type");
      auto name = str(argv[1]);
      if(name.find('.') == std::string::npos)
      {
        static std::pair<std::string_view, char const *> const java[] = {
          { "Iterable", "java.lang.Iterable" }, { "CharSequence", "java.lang.CharSequence" },     { "Comparable", "java.lang.Comparable" },
          { "Runnable", "java.lang.Runnable" },     { "AutoCloseable", "java.lang.AutoCloseable" },
          { "Closeable", "java.io.Closeable" },     { "Comparator", "java.util.Comparator" },
          { "Callable", "java.util.concurrent.Callable" }, { "Iterator", "java.util.Iterator" },
          { "Function", "java.util.function.Function" }, { "BiFunction", "java.util.function.BiFunction" },
          { "Supplier", "java.util.function.Supplier" }, { "Consumer", "java.util.function.Consumer" },
          { "Predicate", "java.util.function.Predicate" }, { "Map", "java.util.Map" }, { "Set", "java.util.Set" }, { "List", "java.util.List" }, { "Collection", "java.util.Collection" },
          { "Serializable", "java.io.Serializable" }, { "Map$Entry", "java.util.Map$Entry" },
        };
        auto const found = std::find_if(std::begin(java), std::end(java), [&](auto const &j) { return j.first == name; });
        name = found != std::end(java) ? std::string{ found->second } : "clojure.lang." + name;
      }
      if(std::find(t->interfaces.begin(), t->interfaces.end(), name) == t->interfaces.end())
      {
        t->interfaces.push_back(name);
      }
      return nil();
    }

    /* A constructor's type and values, one for each basis field. */
    std::pair<record_type_obj *, std::vector<object *>>
    basis_values(char const *op, char const *ctor, char const *kind, int argc, args_t argv)
    {
      check_arity(op, argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, ctor, kind);
      auto values = to_items(argv[1]);
      if(values.size() != t->fields.size())
      {
        fail("Wrong number of args (" + std::to_string(values.size()) + ") passed to: ->"
             + t->name);
      }
      return { t, std::move(values) };
    }

    object *make_record(int argc, args_t argv)
    {
      auto const [t, values] = basis_values("make-record*", "->Record", "a record type", argc, argv);
      std::vector<object *> kvs;
      for(size_t i = 0; i < values.size(); ++i)
      {
        kvs.push_back(t->fields[i]);
        kvs.push_back(values[i]);
      }
      return new record_obj{ t, array_map_from(kvs) };
    }

    object *map_to_record(int argc, args_t argv)
    {
      check_arity("map->record*", argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "map->Record", "a record type");
      /* The basis fields first, in order, then the map's other keys. */
      std::vector<object *> kvs;
      for(auto *field : t->fields)
      {
        kvs.push_back(field);
        kvs.push_back(get(argv[1], field, nil()));
      }
      for(auto *entry : to_items(argv[1]))
      {
        auto kv = to_items(entry);
        kvs.push_back(kv.at(0));
        kvs.push_back(kv.at(1));
      }
      return new record_obj{ t, array_map_from(kvs) };
    }

    // ---- deftype and reify ------------------------------------------------------------

    /* (make-instance* T [values]): deftype's ->T and (T. ...). */
    object *make_instance(int argc, args_t argv)
    {
      auto [t, values] = basis_values("make-instance*", "->Type", "a deftype", argc, argv);
      return new instance_obj{ t, std::move(values) };
    }

    /* (field-of* x :f): (.-f x), a basis field of a record or a deftype.
     * (field-of* x :f else), for (.f x) when a var f exists: the field if x
     * has it, else (else x). */
    /* A record's or deftype's field named by the keyword, or null. */
    object *field_value(object *x, object *field)
    {
      if(x->type == tag::record)
      {
        auto *fields = static_cast<record_obj *>(x)->fields;
        return contains(fields, field) ? get(fields, field, nil()) : nullptr;
      }
      /* AFunction's protocol-method cache, which libraries that wrap
       * protocol methods copy (schema's): the page's fns keep none. */
      if((x->type == tag::fn || x->type == tag::protocol_fn) && field->type == tag::keyword
         && str(field) == ":__methodImplCache")
      {
        return nil();
      }
      /* Namespace's public final field name. */
      if(x->type == tag::ns && field->type == tag::keyword && str(field) == ":name")
      {
        return call(core("ns-name"), { x });
      }
      /* Var's public final fields sym and ns. */
      if(x->type == tag::var && field->type == tag::keyword)
      {
        auto const *v = static_cast<var_obj *>(x);
        auto const which = str(field);
        if(which == ":sym")
          return symbol("", v->name);
        if(which == ":ns")
          return ns_value(v->ns);
      }
      /* Keyword's public final fields sym and hasheq: honeysql reads a
       * keyword's name with its namespace, and without the colon, as
       * (.sym k). */
      if(x->type == tag::keyword && field->type == tag::keyword)
      {
        auto const *k = static_cast<keyword_obj *>(x);
        auto const which = str(field);
        if(which == ":sym")
          return symbol(k->ns, k->name);
        if(which == ":hasheq")
          return call(core("hash"), { x });
      }
      /* ArityException's public final fields actual and name, which its
       * message spells: "Wrong number of args (2) passed to: user/f". */
      if(x->type == tag::ex_info && field->type == tag::keyword
         && static_cast<ex_info_obj *>(x)->java_class == "clojure.lang.ArityException")
      {
        auto const &message = static_cast<ex_info_obj *>(x)->message;
        std::string_view const head{ "Wrong number of args (" }, passed{ ") passed to: " };
        auto const close = message.find(passed);
        if(message.starts_with(head) && close != std::string::npos)
        {
          auto const which = str(field);
          if(which == ":actual")
          {
            auto const count = message.substr(head.size(), close - head.size());
            return count.find_first_not_of("0123456789") == std::string::npos && !count.empty()
              ? integer(std::stoll(count))
              : integer(-1);
          }
          if(which == ":name")
          {
            return string(message.substr(close + passed.size()));
          }
        }
      }
      if(x->type == tag::instance)
      {
        auto *i = static_cast<instance_obj *>(x);
        for(size_t at = 0; at < i->type->fields.size(); ++at)
        {
          if(equals(i->type->fields[at], field))
          {
            return i->values[at];
          }
        }
      }
      return nullptr;
    }

    object *field_of(int argc, args_t argv)
    {
      check_arity("field-of*", argc, 2, 3);
      if(auto *value = field_value(argv[0], argv[1]))
      {
        return value;
      }
      if(argc == 3)
      {
        return invoke(argv[2], 1, argv);
      }
      if(argv[0]->type == tag::nil)
      {
        fail("Cannot invoke \"Object.getClass()\" because \"target\" is null");
      }
      fail("No matching field found: " + str(argv[1]).substr(1) + " for class " + class_name_of(argv[0]));
    }

    /* AFunction's Comparator: a fn's result as compare's int, a boolean
     * one as "less than" (true: -1; else 1 if (f b a), else 0). */
    object *fn_as_comparator(object *f, object *a, object *b)
    {
      object *ab[] = { a, b };
      auto *r = invoke(f, 2, ab);
      if(r->type != tag::boolean && r->type != tag::nil)
      {
        return r;
      }
      if(truthy(r))
      {
        return integer(-1);
      }
      object *ba[] = { b, a };
      return integer(truthy(invoke(f, 2, ba)) ? 1 : 0);
    }

    /* clojure.lang.Sorted's methods on a sorted map or set, as subseq and
     * rsubseq call them (data.priority-map patches those to): the
     * comparator (compare for the default), an entry's key, the entries
     * from a key on, either way, and the entries either way. Null for
     * anything else. */
    object *sorted_method(object *target, std::string const &name, int argc, args_t argv)
    {
      bool const is_map = target->type == tag::map && static_cast<map_obj *>(target)->entries.is_sorted();
      bool const is_set = target->type == tag::set && static_cast<set_obj *>(target)->items.is_sorted();
      if(!is_map && !is_set)
      {
        return nullptr;
      }
      if(name == "comparator" && argc == 0)
      {
        auto *c = is_map ? static_cast<map_obj *>(target)->entries.comparator()
                         : static_cast<set_obj *>(target)->items.comparator();
        return c != nullptr ? c : core("compare");
      }
      if(name == "entryKey" && argc == 1)
      {
        return is_map ? call(core("key"), { argv[0] }) : argv[0];
      }
      if(name == "seqFrom" && argc == 2)
      {
        return truthy(argv[1]) ? call(core("subseq"), { target, core(">="), argv[0] })
                               : call(core("rsubseq"), { target, core("<="), argv[0] });
      }
      if(name == "seq" && argc == 1)
      {
        return truthy(argv[0]) ? call(core("seq"), { target }) : call(core("rseq"), { target });
      }
      return nullptr;
    }

    /* (interop-method* target "name" fallback args...): (.name target args...)
     * for the methods of Java's interfaces a deftype, defrecord or reify
     * implements (Runnable's run, Comparator's compare), and those a Clojure
     * fn has (invoke, call, run, compare, applyTo). Any other target gets
     * fallback (the clojure.core fn of the name) or, with no arguments, its
     * field of the name, as (.x p) would. */
    object *interop_method(int argc, args_t argv)
    {
      check_arity("interop-method*", argc, 3, -1);
      auto *target = argv[0];
      auto const name = str(argv[1]);
      auto *fallback = argv[2];
      auto const rest = argc - 3;
      /* f called with the target and the call's arguments. */
      auto on_target = [&](object *f) {
        std::vector<object *> args{ target };
        args.insert(args.end(), argv + 3, argv + argc);
        return invoke(f, static_cast<int>(args.size()), args.data());
      };
      /* Runnable's run and Consumer's accept are void: nil, whatever the body gave. */
      bool const is_void = name == "run" || name == "accept";
      if(auto *m = type_method_of(target, name))
      {
        auto *result = on_target(m);
        return is_void ? nil() : result;
      }
      if(target->type == tag::fn)
      {
        if(name == "invoke" || name == "call" || name == "run")
        {
          auto *result = invoke(target, rest, argv + 3);
          return is_void ? nil() : result;
        }
        if(name == "compare" && rest == 2)
        {
          return fn_as_comparator(target, argv[3], argv[4]);
        }
        if(name == "applyTo" && rest == 1)
        {
          return call(core("apply"), { target, argv[3] });
        }
      }
      if(auto *answer = sorted_method(target, name, rest, argv + 3))
      {
        return answer;
      }
      /* The page's own host objects: a FutureTask's run and get. */
      if(object * answer{}; host_object_method(name, target, rest, argv + 3, &answer))
      {
        return is_void ? nil() : answer;
      }
      if(auto *m = inline_protocol_method(target, name))
      {
        return on_target(m);
      }
      if(rest == 0)
      {
        if(auto *value = field_value(target, keyword("", name)))
        {
          return value;
        }
      }
      if(fallback->type != tag::nil)
      {
        return on_target(fallback);
      }
      if(rest == 0)
      {
        object *field[] = { target, keyword("", name) };
        return field_of(2, field);
      }
      fail("No matching method " + name + " found taking " + std::to_string(rest) + " args for class "
           + class_name_of(target));
    }

    /* (set-field!* x :f v): (set! f v) in a deftype's method, for a field
     * marked ^:volatile-mutable or ^:unsynchronized-mutable. */
    object *set_field(int argc, args_t argv)
    {
      check_arity("set-field!*", argc, 3, 3);
      if((argv[0]->type == tag::fn || argv[0]->type == tag::protocol_fn) && argv[1]->type == tag::keyword
         && str(argv[1]) == ":__methodImplCache")
      {
        return argv[2];
      }
      auto *i = as<instance_obj>(argv[0], tag::instance, "a deftype instance");
      for(size_t at = 0; at < i->type->fields.size(); ++at)
      {
        if(equals(i->type->fields[at], argv[1]))
        {
          i->values[at] = argv[2];
          return argv[2];
        }
      }
      fail("No matching field found: " + str(argv[1]).substr(1) + " for " + type_name(argv[0]));
    }

    /* (reify-type* "user.reify__12" [:methods]): the one type of a reify form,
     * made on its first evaluation and the same on every later one, so that
     * evaluating a reify in a loop makes instances, not types. */
    object *reify_type(int argc, args_t argv)
    {
      check_arity("reify-type*", argc, 2, 2);
      static std::unordered_map<std::string, object *> types;
      auto const name = str(argv[0]);
      auto [slot, made] = types.try_emplace(name, nullptr);
      if(made)
      {
        auto *type = new record_type_obj{ name, to_items(argv[1]) };
        type->reified = true;
        slot->second = type;
        gc::make_permanent(slot->second);
      }
      return slot->second;
    }

    object *record_p(int argc, args_t argv)
    {
      check_arity("record?", argc, 1, 1);
      return boolean(argv[0]->type == tag::record);
    }

    /* A deftype's instance (not a reify's, nor a JVM class the runtime
     * models as a type, such as StringBuilder): what clojure.lang.IType is. */
    bool is_deftype_instance(object *x)
    {
      if(x->type != tag::instance)
      {
        return false;
      }
      auto const *type = static_cast<instance_obj *>(x)->type;
      return !type->reified && !is_builtin_class(type);
    }

    /* (defined-type?* x): x is an instance of a record, deftype or reify,
     * whose methods are Clojure code's own: (.m x) calls the var m on it. */
    object *defined_type_p(int argc, args_t argv)
    {
      check_arity("defined-type?*", argc, 1, 1);
      auto *x = argv[0];
      return boolean(x->type == tag::record
                     || (x->type == tag::instance && !is_builtin_class(static_cast<instance_obj *>(x)->type)));
    }

    /* (class x): the JVM's class for x (classes.cpp), or a record's type. */
    object *class_(int argc, args_t argv)
    {
      check_arity("class", argc, 1, 1);
      return class_of(argv[0]);
    }

    /* (type x): x's :type metadata, else (class x), as in Clojure. */
    object *type_(int argc, args_t argv)
    {
      check_arity("type", argc, 1, 1);
      auto *m = invoke(deref(intern_var("clojure.core", "meta")), 1, argv);
      auto *tagged = m->type == tag::nil ? m : get(m, keyword("", "type"), nil());
      return tagged->type != tag::nil ? tagged : class_of(argv[0]);
    }

    object *instance_p(int argc, args_t argv)
    {
      check_arity("instance?", argc, 2, 2);
      if(argv[0]->type == tag::record_type)
      {
        return boolean(is_instance(static_cast<record_type_obj *>(argv[0]), argv[1]));
      }
      /* A definterface is a protocol here: its instances are the types that
       * implement it. */
      if(argv[0]->type == tag::protocol)
      {
        return satisfies(argc, argv);
      }
      /* Number and Object (as type-key names them) cover several kinds. */
      if(equals(argv[0], keyword("", "number")))
      {
        return boolean(is_number(argv[1]));
      }
      if(equals(argv[0], keyword("", "default")) || equals(argv[0], keyword("", "object")))
      {
        return boolean(argv[1]->type != tag::nil);
      }
      return boolean(equals(type_key(argv[1]), argv[0]));
    }

    /* (cast c x): x when it is an instance of c (or nil), else the JVM's
     * ClassCastException. */
    object *cast(int argc, args_t argv)
    {
      check_arity("cast", argc, 2, 2);
      if(argv[1]->type == tag::nil || truthy(instance_p(argc, argv)))
      {
        return argv[1];
      }
      auto const target = argv[0]->type == tag::record_type ? static_cast<record_type_obj *>(argv[0])->name : str(argv[0]);
      fail("Cannot cast " + class_name_of(argv[1]) + " to " + target);
    }

    /* (write-to* w x) and (string-writer* init), with print-method below. */
    object *write_to(int argc, args_t argv);
    object *write_void(int argc, args_t argv);
    object *string_writer(int argc, args_t argv);
    object *string_builder(int argc, args_t argv);
    object *string_buffer(int argc, args_t argv);
    object *text_buffer_method(int argc, args_t argv);
    object *new_object(int argc, args_t argv);
    object *close_resource(int argc, args_t argv);
    object *string_reader(int argc, args_t argv);
    object *read_line(int argc, args_t argv);
    object *reader_line(int argc, args_t argv);
    object *reader_char(int argc, args_t argv);
    object *reader_unread(int argc, args_t argv);
    object *pushback_reader(int argc, args_t argv);
    bool is_reader_wrapper(object *x);
    bool is_string_reader(object *x);
    object *buffered_reader(int argc, args_t argv);
    object *line_seq(int argc, args_t argv);

    native_entry const polymorphism_fns[] = {
      { "multi-fn*", multi_fn },
      { "multi-fn?*", multi_fn_p },
      { "add-method*", add_method },
      { "remove-method", remove_method },
      { "remove-all-methods", remove_all_methods },
      { "get-method", get_method },
      { "methods", methods },
      { "prefer-method", prefer_method },
      { "prefers", prefers },
      { "derive", derive },
      { "underive", underive },
      { "make-hierarchy", make_hierarchy },
      { "isa?", isa_p },
      { "parents", parents },
      { "ancestors", ancestors },
      { "descendants", descendants },
      { "protocol*", protocol },
      { "protocol-method*", protocol_method },
      { "add-protocol-impl*", add_protocol_impl },
      { "extend", extend },
      { "satisfies?", satisfies },
      { "extends?*", extends },
      { "extenders", extenders },
      { "implemented-inline*", implemented_inline },
      { "write-to*", write_to },
      { "write*", write_void },
      { "string-writer*", string_writer },
      { "string-builder*", string_builder },
      { "string-buffer*", string_buffer },
      { "text-buffer-method*", text_buffer_method },
      { "new-object*", new_object },
      { "close*", close_resource },
      { "string-reader*", string_reader },
      { "reader-line*", reader_line },
      { "reader-char*", reader_char },
      { "reader-unread*", reader_unread },
      { "pushback-reader*", pushback_reader },
      { "line-seq", line_seq },
      { "buffered-reader*", buffered_reader },
      { "read-line", read_line },
      { "record-type*", record_type },
      { "make-record*", make_record },
      { "record-to-string*", record_to_string },
      { "type-method*", type_method }, { "type-interface*", type_interface },
      { "interop-method*", interop_method },
      { "map->record*", map_to_record },
      { "record?", record_p },
      { "defined-type?*", defined_type_p },
      { "make-instance*", make_instance },
      { "field-of*", field_of },
      { "set-field!*", set_field },
      { "reify-type*", reify_type },
      { "instance?", instance_p },
      { "cast", cast },
      { "class", class_ },
      { "type", type_ },
    };
  }

  object *user_type_method(object *target, std::string const &method, char const *ns, char const *name)
  {
    if(target->type != tag::instance && target->type != tag::record)
    {
      return nullptr;
    }
    auto *type = target->type == tag::instance ? static_cast<instance_obj *>(target)->type
                                               : static_cast<record_obj *>(target)->type;
    for(auto const &[own, fn] : type->methods)
    {
      if(own == method)
      {
        return fn;
      }
    }
    auto *var = find_var(ns, name);
    if(var == nullptr || var->root == nullptr || var->root->type != tag::protocol_fn)
    {
      return nullptr;
    }
    return find(static_cast<protocol_fn_obj *>(var->root)->impls, type_key(target));
  }

  object *invoke_polymorphic(object *f, int argc, object **argv)
  {
    if(f->type == tag::multi_fn)
    {
      auto *mf = static_cast<multi_fn_obj *>(f);
      auto *dispatch_value = invoke(mf->dispatch, argc, argv);
      auto *method = method_for(mf, dispatch_value);
      if(method == nullptr)
      {
        /* The JVM's message names the multimethod without its namespace. */
        auto const slash = mf->name.find('/');
        auto const name = slash == std::string::npos || slash + 1 == mf->name.size() ? mf->name : mf->name.substr(slash + 1);
        fail("No method in multimethod '" + name + "' for dispatch value: " + pr_str(dispatch_value));
      }
      return invoke(method, argc, argv);
    }
    auto *pf = static_cast<protocol_fn_obj *>(f);
    if(argc < 1)
    {
      fail("Wrong number of args (0) passed to protocol method " + pf->method
           + ": it takes the object first");
    }
    /* As Clojure orders them: a type's own implementation (defrecord,
     * deftype, reify), then the value's metadata, then extend. */
    auto const from_metadata = [&]() -> object * {
      if(!pf->via_metadata)
      {
        return nullptr;
      }
      auto const slash = pf->protocol.find('/');
      auto *key = symbol(slash == std::string::npos ? "" : pf->protocol.substr(0, slash), pf->method);
      auto *found = get(stored_meta(argv[0]), key, nil());
      return found->type == tag::nil ? nullptr : found;
    };
    auto const defined_type = argv[0]->type == tag::instance || argv[0]->type == tag::record;
    auto *impl = defined_type ? find(pf->impls, type_key(argv[0])) : nullptr;
    if(impl == nullptr)
    {
      impl = from_metadata();
    }
    if(impl == nullptr)
    {
      impl = impl_for(pf, argv[0]);
    }
    if(impl == nullptr)
    {
      fail("No implementation of method: :" + pf->method + " of protocol: #'" + pf->protocol
           + " found for class: " + class_name_of(argv[0]));
    }
    return invoke(impl, argc, argv);
  }

  namespace
  {
    // ---- print-method -----------------------------------------------------------------

    /* A writer's text, as its toString: a copy, because appends change the
     * writer's own buffer in place. */
    object *string_writer_text(int argc, args_t argv)
    {
      check_arity("toString", argc, 1, 1);
      return string(static_cast<string_obj *>(static_cast<instance_obj *>(argv[0])->values[0])->value);
    }

    /* A StringBuilder is a CharSequence: (seq sb), (nth sb i) and (.charAt
     * sb i) read its characters. */
    object *string_writer_seq(int argc, args_t argv)
    {
      check_arity("seq", argc, 1, 1);
      return seq(string_writer_text(1, argv));
    }

    /* A writer's length, as StringBuilder's (.length sb), which is count. */
    object *string_writer_length(int argc, args_t argv)
    {
      check_arity("length", argc, 1, 1);
      return integer(static_cast<int64_t>(count(static_cast<instance_obj *>(argv[0])->values[0])));
    }

    /* A class of text buffer: (.write w s) and (.append w s) add to its text,
     * str gives it, and count its length. */
    record_type_obj *make_writer_type(std::string const &class_name)
    {
      auto *t = class_named(class_name);
      auto *text = new fn_obj{};
      text->name = class_name + "/toString";
      text->native = string_writer_text;
      t->to_string = text;
      auto *length = new fn_obj{};
      length->name = class_name + "/length";
      length->native = string_writer_length;
      t->count_fn = length;
      auto *chars = new fn_obj{};
      chars->name = class_name + "/seq";
      chars->native = string_writer_seq;
      t->seq_fn = chars;
      gc::make_permanent(chars);
      gc::make_permanent(text);
      gc::make_permanent(length);
      return t;
    }

    /* The writer a print-method gets, and (java.io.StringWriter.). */
    record_type_obj *string_writer_type()
    {
      static record_type_obj *type = make_writer_type("java.io.StringWriter");
      return type;
    }

    /* (StringBuilder.): the same buffer under its own class name. */
    record_type_obj *string_builder_type()
    {
      static record_type_obj *type = make_writer_type("java.lang.StringBuilder");
      return type;
    }

    /* (StringBuffer.): StringBuilder's synchronized twin; one thread here. */
    record_type_obj *string_buffer_type()
    {
      static record_type_obj *type = make_writer_type("java.lang.StringBuffer");
      return type;
    }

    /* A StringBuilder or a StringBuffer: text edited in place. */
    bool is_text_buffer(object const *x)
    {
      if(x->type != tag::instance)
      {
        return false;
      }
      auto const *type = static_cast<instance_obj const *>(x)->type;
      return type == string_builder_type() || type == string_buffer_type();
    }

    /* (string-writer* init): (StringBuilder. init), (StringWriter.). */
    object *string_writer(int argc, args_t argv)
    {
      check_arity("string-writer*", argc, 0, 1);
      return new instance_obj{ string_writer_type(), { string(argc == 1 ? str(argv[0]) : std::string{}) } };
    }

    /* (new-object*): (Object.), a value equal only to itself, which code
     * uses as a sentinel or a lock. */
    object *new_object(int argc, args_t)
    {
      check_arity("new-object*", argc, 0, 0);
      static record_type_obj *type = class_named("java.lang.Object");
      return new instance_obj{ type, {} };
    }

    /* (close* x), what (.close x) compiles to (with-open calls it): a type's
     * Closeable close, or nothing for the runtime's own string readers and
     * writers, which hold no resource. */
    record_type_obj *string_reader_type();

    object *close_resource(int argc, args_t argv)
    {
      check_arity("close*", argc, 1, 1);
      auto *target = argv[0];
      if(target->type == tag::nil)
      {
        fail("Cannot invoke \"java.io.Closeable.close()\" because the value is null");
      }
      record_type_obj *type = target->type == tag::instance ? static_cast<instance_obj *>(target)->type
        : target->type == tag::record                      ? static_cast<record_obj *>(target)->type
                                                            : nullptr;
      if(type != nullptr && type->close_fn != nullptr)
      {
        return invoke(type->close_fn, 1, &target);
      }
      if(type == string_writer_type() || is_text_buffer(target) || is_string_reader(target))
      {
        return nil();
      }
      fail("No matching field found: close for class " + class_name_of(target));
    }

    /* StringBuilder's editing methods, (text-buffer-method* "insert" sb 0
     * "x") for (.insert sb 0 "x"): they change sb and return it. Indexes
     * count characters. */
    object *text_buffer_method(int argc, args_t argv)
    {
      check_arity("text-buffer-method*", argc, 2, 5);
      auto const method = str(argv[0]);
      auto *target = argv[1];
      if(!is_text_buffer(target))
      {
        fail("No matching method " + method + " found for " + a_type_name(target) + " (it is a StringBuilder method)");
      }
      auto *buffer_obj = static_cast<string_obj *>(static_cast<instance_obj *>(target)->values[0]);
      buffer_obj->changed();
      auto &buffer = buffer_obj->value;
      std::u32string chars;
      for(size_t i = 0; i < buffer.size();)
      {
        chars += utf8::next(buffer, i);
      }
      auto const integer_at = [&](int at) {
        if(argv[at]->type != tag::integer)
        {
          fail(method + " expects an integer index, got " + a_type_name(argv[at]));
        }
        return static_cast<integer_obj *>(argv[at])->value;
      };
      auto const index = [&](int at, size_t limit) {
        auto const i = integer_at(at);
        if(i < 0 || static_cast<size_t>(i) > limit)
        {
          fail("index " + std::to_string(i) + " out of bounds for length " + std::to_string(chars.size()));
        }
        return static_cast<size_t>(i);
      };
      auto const wanted = [&](int n) {
        if(argc != n + 2)
        {
          fail("No matching method " + method + " found taking " + std::to_string(argc - 2) + " args for class java.lang.StringBuilder");
        }
      };
      if(method == "reverse")
      {
        wanted(0);
        std::reverse(chars.begin(), chars.end());
      }
      else if(method == "insert")
      {
        wanted(2);
        std::u32string text;
        auto const inserted = str(argv[3]);
        for(size_t i = 0; i < inserted.size();)
        {
          text += utf8::next(inserted, i);
        }
        size_t const at = index(2, chars.size());
        chars.insert(at, text);
      }
      else if(method == "setLength")
      {
        wanted(1);
        chars.resize(static_cast<size_t>(std::max<int64_t>(0, integer_at(2))), U'\0');
      }
      else if(method == "deleteCharAt")
      {
        wanted(1);
        chars.erase(index(2, chars.size() - 1), 1);
      }
      else if(method == "delete")
      {
        wanted(2);
        auto const start = index(2, chars.size());
        auto const end = std::min(static_cast<size_t>(std::max<int64_t>(0, integer_at(3))), chars.size());
        chars.erase(start, end > start ? end - start : 0);
      }
      else if(method == "replace")
      {
        wanted(3);
        /* As Java's: end past the length means the length; start past end fails. */
        auto const start = index(2, chars.size());
        auto const end = std::min(static_cast<size_t>(std::max<int64_t>(0, integer_at(3))), chars.size());
        if(start > end)
        {
          fail("start " + std::to_string(start) + ", end " + std::to_string(end) + ", length "
               + std::to_string(chars.size()));
        }
        std::u32string text;
        auto const replacement = str(argv[4]);
        for(size_t i = 0; i < replacement.size();)
        {
          text += utf8::next(replacement, i);
        }
        chars.replace(start, end - start, text);
      }
      else if(method == "setCharAt")
      {
        wanted(2);
        if(argv[3]->type != tag::character)
        {
          fail("setCharAt expects a character, got " + a_type_name(argv[3]));
        }
        chars[index(2, chars.size() - 1)] = static_cast<char32_t>(static_cast<char_obj *>(argv[3])->codepoint);
      }
      else
      {
        fail("No matching method " + method + " found for class java.lang.StringBuilder");
      }
      buffer.clear();
      for(auto c : chars)
      {
        utf8::append(buffer, c);
      }
      return method == "setLength" || method == "setCharAt" ? nil() : target;
    }

    /* (string-builder* init): (StringBuilder.), (StringBuilder. init). A
     * number is a capacity, as Java's StringBuilder(int): it starts empty. */
    object *new_text_buffer(char const *name, record_type_obj *type, int argc, args_t argv)
    {
      check_arity(name, argc, 0, 1);
      bool const has_text = argc == 1 && argv[0]->type != tag::integer;
      return new instance_obj{ type, { string(has_text ? str(argv[0]) : std::string{}) } };
    }

    object *string_builder(int argc, args_t argv)
    {
      return new_text_buffer("string-builder*", string_builder_type(), argc, argv);
    }

    /* (string-buffer* init): (StringBuffer.), (StringBuffer. init). */
    object *string_buffer(int argc, args_t argv)
    {
      return new_text_buffer("string-buffer*", string_buffer_type(), argc, argv);
    }

    /* What *in* holds inside with-in-str: the text, and where reading is. */
    record_type_obj *string_reader_type()
    {
      static record_type_obj *type = class_named("java.io.StringReader");
      return type;
    }

    /* A BufferedReader or PushbackReader holds the reader it reads from. */
    bool is_reader_wrapper(object *x)
    {
      static record_type_obj *buffered = class_named("java.io.BufferedReader");
      static record_type_obj *pushback = class_named("java.io.PushbackReader");
      return (x->type == tag::instance
              && (static_cast<instance_obj *>(x)->type == buffered || static_cast<instance_obj *>(x)->type == pushback))
        || is_line_numbering_reader(x);
    }

    /* (string-reader* s): (java.io.StringReader. s), what with-in-str binds *in* to. */
    object *string_reader(int argc, args_t argv)
    {
      check_arity("string-reader*", argc, 1, 1);
      return new instance_obj{ string_reader_type(), { string(str(argv[0])), integer(0) } };
    }

    bool is_string_reader(object *x)
    {
      return underlying_string_reader(x) != nullptr;
    }

    instance_obj *string_reader_arg(object *x, char const *op)
    {
      if(!is_string_reader(x))
      {
        fail(std::string{ op } + " expects a reader ((java.io.StringReader. s), or *in* inside with-in-str), got "
             + a_type_name(x));
      }
      return underlying_string_reader(x);
    }

    /* The reader's next line, without its terminator, or nil at its end. */
    object *next_line(instance_obj *reader)
    {
      auto &values = reader->values;
      auto const &text = static_cast<string_obj *>(values[0])->value;
      auto const at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
      if(at >= text.size())
      {
        return nil();
      }
      auto end = text.find('\n', at);
      auto const next = end == std::string::npos ? text.size() : end + 1;
      if(end == std::string::npos)
      {
        end = text.size();
      }
      if(end > at && text[end - 1] == '\r')
      {
        --end;
      }
      values[1] = integer(static_cast<int64_t>(next));
      return string(text.substr(at, end - at));
    }

    /* (read-line): the next line of *in*, or nil at its end. The page has
     * no console: outside with-in-str, *in* is empty. */
    object *read_line(int argc, args_t)
    {
      check_arity("read-line", argc, 0, 0);
      static var_obj *const in = intern_var("clojure.core", "*in*");
      auto *reader = deref(in);
      return is_string_reader(reader) ? next_line(underlying_string_reader(reader)) : nil();
    }

    /* (.readLine r), and what line-seq reads with. */
    object *reader_line(int argc, args_t argv)
    {
      check_arity("reader-line*", argc, 1, 1);
      return next_line(string_reader_arg(argv[0], ".readLine"));
    }

    /* env: [reader] */
    object *line_seq_step(object *env, int, args_t)
    {
      auto *line = next_line(static_cast<instance_obj *>(env_at(env, 0)));
      return line->type == tag::nil ? nil() : new cons_obj{ line, lazy(line_seq_step, env) };
    }

    /* (line-seq r): the reader's lines, read as the seq is walked; nil
     * when there are none, as Clojure's reads the first line at once. */
    object *line_seq(int argc, args_t argv)
    {
      check_arity("line-seq", argc, 1, 1);
      return line_seq_step(env_of({ string_reader_arg(argv[0], "line-seq") }), 0, nullptr);
    }

    array_obj *char_array_arg(object *x, char const *op)
    {
      if(x->type != tag::array || static_cast<array_obj *>(x)->kind != 'C')
      {
        fail(std::string{ op } + " expects a char array, got " + a_type_name(x));
      }
      return static_cast<array_obj *>(x);
    }

    /* [off, off + len) of an array, checked as Java checks it. */
    std::pair<size_t, size_t> array_range(array_obj *a, object *off, object *len, char const *op)
    {
      auto const from = as<integer_obj>(off, tag::integer, "an offset")->value;
      auto const count = as<integer_obj>(len, tag::integer, "a length")->value;
      if(from < 0 || count < 0 || static_cast<size_t>(from + count) > a->items.size())
      {
        fail(std::string{ "IndexOutOfBoundsException: " } + op + " of " + std::to_string(count) + " characters at "
             + std::to_string(from) + " in an array of " + std::to_string(a->items.size()));
      }
      return { static_cast<size_t>(from), static_cast<size_t>(from + count) };
    }

    /* (.read r cbuf off len): up to len characters into cbuf from off; how
     * many, or -1 at the end. */
    object *read_into_chars(instance_obj *reader, object *buffer, object *off, object *len)
    {
      auto *chars = char_array_arg(buffer, ".read");
      auto const [from, to] = array_range(chars, off, len, ".read");
      auto &values = reader->values;
      auto const &text = static_cast<string_obj *>(values[0])->value;
      auto at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
      if(at >= text.size() && to > from)
      {
        return integer(-1);
      }
      auto i = from;
      for(; i < to && at < text.size(); ++i)
      {
        chars->items[i] = character(static_cast<int32_t>(utf8::next(text, at)));
      }
      values[1] = integer(static_cast<int64_t>(at));
      return integer(static_cast<int64_t>(i - from));
    }

    /* (.read r): the next character's code, or -1 at the end. */
    object *reader_char(int argc, args_t argv)
    {
      check_arity("reader-char*", argc, 1, 4);
      if(argc == 4)
      {
        return read_into_chars(string_reader_arg(argv[0], ".read"), argv[1], argv[2], argv[3]);
      }
      auto &values = string_reader_arg(argv[0], ".read")->values;
      auto const &text = static_cast<string_obj *>(values[0])->value;
      auto at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
      if(at >= text.size())
      {
        return integer(-1);
      }
      auto c = utf8::next(text, at);
      /* A LineNumberingPushbackReader gives each line terminator, \r\n
       * and a lone \r too, as one \n, as java.io.LineNumberReader does. */
      if(c == U'\r' && is_line_numbering_reader(argv[0]))
      {
        c = U'\n';
        if(at < text.size() && text[at] == '\n')
        {
          ++at;
        }
      }
      values[1] = integer(static_cast<int64_t>(at));
      return integer(static_cast<int64_t>(c));
    }

    /* (.unread r c), a PushbackReader's: c is read again next. The reader
     * steps back over c when c is what it read last, as it is when code
     * peeks; another character is put before what is left. */
    object *reader_unread(int argc, args_t argv)
    {
      check_arity("reader-unread*", argc, 2, 4);
      auto &values = string_reader_arg(argv[0], ".unread")->values;
      if(argc == 4)
      {
        /* (.unread r cbuf off len): those characters are read again next. */
        auto *chars = char_array_arg(argv[1], ".unread");
        auto const [from, to] = array_range(chars, argv[2], argv[3], ".unread");
        std::string encoded;
        for(auto i = from; i < to; ++i)
        {
          utf8::append(encoded, static_cast<char32_t>(static_cast<char_obj *>(chars->items[i])->codepoint));
        }
        auto const &text = static_cast<string_obj *>(values[0])->value;
        auto const at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
        if(at >= encoded.size() && text.compare(at - encoded.size(), encoded.size(), encoded) == 0)
        {
          values[1] = integer(static_cast<int64_t>(at - encoded.size()));
        }
        else
        {
          values[0] = string(text.substr(0, at) + encoded + text.substr(std::min(at, text.size())));
        }
        return nil();
      }
      int64_t code = 0;
      if(argv[1]->type == tag::character)
        code = static_cast<char_obj *>(argv[1])->codepoint;
      else if(argv[1]->type == tag::integer)
        code = static_cast<integer_obj *>(argv[1])->value;
      else
        fail(std::string{ ".unread expects a character or its code, got " } + a_type_name(argv[1]));
      std::string encoded;
      utf8::append(encoded, static_cast<char32_t>(code));
      auto const &text = static_cast<string_obj *>(values[0])->value;
      auto const at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
      auto const before = at >= encoded.size() ? at - encoded.size() : std::string::npos;
      if(before != std::string::npos && text.compare(before, encoded.size(), encoded) == 0)
      {
        values[1] = integer(static_cast<int64_t>(before));
        return nil();
      }
      values[0] = string(text.substr(0, at) + encoded + text.substr(std::min(at, text.size())));
      return nil();
    }

    /* (java.io.BufferedReader. r) and (java.io.PushbackReader. r): a reader
     * of its own class that reads from r (the runtime's string reader reads
     * lines and characters, and steps back, already). */
    object *buffered_reader(int argc, args_t argv)
    {
      check_arity("buffered-reader*", argc, 1, 2);
      string_reader_arg(argv[0], "java.io.BufferedReader.");
      return new instance_obj{ class_named("java.io.BufferedReader"), { argv[0] } };
    }

    object *pushback_reader(int argc, args_t argv)
    {
      check_arity("pushback-reader*", argc, 1, 2);
      string_reader_arg(argv[0], "java.io.PushbackReader.");
      return new instance_obj{ class_named("java.io.PushbackReader"), { argv[0] } };
    }
  }

  object *basis_field(object *x, std::string const &name)
  {
    return field_value(x, keyword("", name));
  }

  instance_obj *underlying_string_reader(object *x)
  {
    while(is_reader_wrapper(x))
    {
      x = static_cast<instance_obj *>(x)->values[0];
    }
    return x->type == tag::instance && static_cast<instance_obj *>(x)->type == string_reader_type()
      ? static_cast<instance_obj *>(x)
      : nullptr;
  }

  bool read_rest_of_string_reader(object *r, std::string &out)
  {
    if(!is_string_reader(r))
    {
      return false;
    }
    auto &values = underlying_string_reader(r)->values;
    auto const &text = static_cast<string_obj *>(values[0])->value;
    auto const at = static_cast<size_t>(static_cast<integer_obj *>(values[1])->value);
    out = at < text.size() ? text.substr(at) : std::string{};
    values[1] = integer(static_cast<int64_t>(text.size()));
    return true;
  }

  object *string_builder_text(object *x)
  {
    if(!is_text_buffer(x))
    {
      return nullptr;
    }
    return string(static_cast<string_obj *>(static_cast<instance_obj *>(x)->values[0])->value);
  }

  bool append_to_string_writer(object *w, std::string const &text)
  {
    if(append_to_file_writer(w, text))
    {
      return true;
    }
    /* A proxy of java.io.Writer: its own write, with the text as a string. */
    if(auto *write = type_method_of(w, "write"))
    {
      call_method(write, { w, string(text) });
      return true;
    }
    if(w->type != tag::instance
       || (static_cast<instance_obj *>(w)->type != string_writer_type() && !is_text_buffer(w)))
    {
      return false;
    }
    /* In place: the buffer never leaves the writer (toString copies it), and
     * a new string per append made a loop of appends quadratic. */
    auto *buffer = static_cast<string_obj *>(static_cast<instance_obj *>(w)->values[0]);
    buffer->value += text;
    buffer->changed();
    return true;
  }

  namespace
  {
    /* (write-to* w x): (.write w x) and (.append w x), for a print-method's
     * writer or for *out* and *err*. */
    object *write_to(int argc, args_t argv)
    {
      check_arity("write-to*", argc, 2, 2);
      auto *w = argv[0];
      /* Java's append(CharSequence) of null appends "null". */
      if(append_to_string_writer(w, argv[1]->type == tag::nil ? std::string{ "null" } : str(argv[1])))
      {
        return w; /* (-> sb (.append "a") (.append "b")) chains, as in Java */
      }
      if(w->type == tag::keyword)
      {
        write_output(str(argv[1]));
        return nil();
      }
      fail(".write expects a writer (*out*, or the one print-method is given), not " + a_type_name(w));
    }

    /* (write* w x): (.write w x), which is void in Java: nil. Writer's
     * write(int) writes the character of that code, where append and
     * StringBuilder's append write the number. */
    object *write_void(int argc, args_t argv)
    {
      check_arity("write*", argc, 2, 2);
      object *args[] = { argv[0], argv[1] };
      if(argv[1]->type == tag::integer)
      {
        args[1] = character(static_cast<int32_t>(static_cast<integer_obj *>(argv[1])->value));
      }
      write_to(argc, args);
      return nil();
    }

    /* print-method dispatches on (type x), as in Clojure. */
    object *print_method_dispatch(int argc, args_t argv)
    {
      check_arity("print-method", argc, 2, 2);
      return type_(1, argv);
    }

    /* The :default method: x as pr prints it. */
    object *print_method_default(int argc, args_t argv)
    {
      check_arity("print-method", argc, 2, 2);
      object *args[] = { argv[1], string(pr_str(argv[0])) };
      return write_to(2, args);
    }

    /* (print-simple o w): o's str to w, after its metadata when *print-meta*
     * is on, as print-method does for a type with no method of its own. */
    object *print_simple(int argc, args_t argv)
    {
      check_arity("print-simple", argc, 2, 2);
      std::string text;
      auto *meta = call(core("meta"), { argv[0] });
      if(truthy(deref(intern_var("clojure.core", "*print-meta*"))) && meta->type != tag::nil)
      {
        text = "^" + pr_str(meta) + " ";
      }
      object *args[] = { argv[1], string(text + str(argv[0])) };
      return write_to(2, args);
    }

    var_obj *print_method_var()
    {
      static var_obj *var = intern_var("clojure.core", "print-method");
      return var;
    }

    void install_print_method()
    {
      auto const native = [](char const *name, native_fn body) {
        auto *f = new fn_obj{};
        f->name = std::string{ "clojure.core/" } + name;
        f->native = body;
        return f;
      };
      auto *mf = new multi_fn_obj{ "clojure.core/print-method", native("print-method", print_method_dispatch),
                                   keyword("", "default") };
      mf->methods.emplace_back(keyword("", "default"), native("print-method", print_method_default));
      bind_root(print_method_var(), mf);
      /* print-dup, so that a library's (defmethod print-dup T ...) loads and
       * can be called; printing itself goes through print-method. */
      auto *dup = new multi_fn_obj{ "clojure.core/print-dup", native("print-dup", print_method_dispatch),
                                    keyword("", "default") };
      dup->methods.emplace_back(keyword("", "default"), native("print-dup", print_method_default));
      bind_root(intern_var("clojure.core", "print-dup"), dup);
      bind_root(intern_var("clojure.core", "print-simple"), native("print-simple", print_simple));
    }
  }

  bool print_by_user_method(object *o, std::string &out)
  {
    auto *var = print_method_var();
    auto *mf = var->bound ? deref(var) : nil();
    if(mf->type != tag::multi_fn || static_cast<multi_fn_obj *>(mf)->methods.size() < 2)
    {
      return false;
    }
    auto const &methods = static_cast<multi_fn_obj *>(mf)->methods;
    auto *key = type_(1, &o);
    auto const found = std::find_if(methods.begin(), methods.end(), [&](auto const &m) { return equals(m.first, key); });
    if(found == methods.end() || equals(key, keyword("", "default")))
    {
      return false;
    }
    auto *writer = new instance_obj{ string_writer_type(), { string("") } };
    call(found->second, { o, writer });
    out += static_cast<string_obj *>(writer->values[0])->value;
    return true;
  }

  bool multi_fn_method(std::string const &method, object *target, int argc, object **answer)
  {
    if(target->type != tag::multi_fn || argc != 0)
    {
      return false;
    }
    auto *mf = static_cast<multi_fn_obj *>(target);
    if(method == "dispatchFn")
      *answer = mf->dispatch;
    else if(method == "defaultDispatchVal")
      *answer = mf->default_value;
    else if(method == "hierarchy")
      *answer = mf->hierarchy == nullptr ? global_hierarchy_var() : mf->hierarchy;
    else if(method == "getMethodTable")
      *answer = methods(1, &target);
    else if(method == "getPreferTable")
      *answer = prefers(1, &target);
    else
      return false;
    return true;
  }

  void install_polymorphism()
  {
    install_natives(polymorphism_fns);
    global_hierarchy_var();
    install_print_method();
  }
}
