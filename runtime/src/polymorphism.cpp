// Multimethods, protocols and records: what defmulti/defmethod,
// defprotocol/extend-type/extend-protocol and defrecord expand into.
//
// A multimethod picks its method by the dispatch value (compared with =, then
// its :default). A protocol function picks by the type of its first argument:
// a record's type, or a keyword naming a built-in kind (:string, :integer, ...),
// then :number for numbers, then :default.
#include "polymorphism.hpp"

#include "native.hpp"
#include "namespaces.hpp"

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

    // ---- multimethods -------------------------------------------------------------

    object *multi_fn(int argc, args_t argv)
    {
      check_arity("multi-fn*", argc, 3, 3);
      return new multi_fn_obj{ str(argv[0]), argv[1], argv[2] };
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

    object *method_for(multi_fn_obj *mf, object *dispatch_value)
    {
      if(auto *m = find(mf->methods, dispatch_value))
      {
        return m;
      }
      return find(mf->methods, mf->default_value);
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
      std::vector<object *> kvs;
      for(auto const &[k, v] : mf->methods)
      {
        kvs.push_back(k);
        kvs.push_back(v);
      }
      return map_from(kvs);
    }

    object *prefer_method(int argc, args_t argv)
    {
      check_arity("prefer-method", argc, 3, 3);
      auto *mf = expect<multi_fn_obj>(argv[0], tag::multi_fn, "prefer-method", "a multimethod");
      put(mf->prefers, argv[1], argv[2]);
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
        kvs.push_back(set_from({ v }));
      }
      return map_from(kvs);
    }

    // ---- protocols ------------------------------------------------------------------

    /* The keyword naming an object's built-in kind, or its record type. */
    object *type_key(object *o)
    {
      switch(o->type)
      {
        case tag::record:
          return static_cast<record_obj *>(o)->type;
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
        case tag::lazy_seq:
        case tag::cons:
          return keyword("", "seq");
        case tag::fn:
        case tag::multi_fn:
        case tag::protocol_fn:
          return keyword("", "fn");
        case tag::cell:
          return keyword("", "atom");
        default:
          return keyword("", type_name(o));
      }
    }

    object *impl_for(protocol_fn_obj *f, object *target)
    {
      auto *key = type_key(target);
      if(auto *impl = find(f->impls, key))
      {
        return impl;
      }
      if(target->type == tag::integer || target->type == tag::real)
      {
        if(auto *impl = find(f->impls, keyword("", "number")))
        {
          return impl;
        }
      }
      return find(f->impls, keyword("", "default"));
    }

    object *protocol(int argc, args_t argv)
    {
      check_arity("protocol*", argc, 1, 1);
      return new protocol_obj{ str(argv[0]) };
    }

    object *protocol_method(int argc, args_t argv)
    {
      check_arity("protocol-method*", argc, 2, 2);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "defprotocol", "a protocol");
      auto *f = new protocol_fn_obj{ p->name, str(argv[1]) };
      p->methods.push_back(f);
      return f;
    }

    object *add_protocol_impl(int argc, args_t argv)
    {
      check_arity("add-protocol-impl*", argc, 3, 3);
      auto *f = expect<protocol_fn_obj>(argv[0], tag::protocol_fn, "extend-type",
                                        "a protocol method (is it defined by defprotocol?)");
      if(argv[1]->type != tag::keyword && argv[1]->type != tag::record_type)
      {
        fail(std::string{ "extend-type expects a type, got " } + type_name(argv[1]));
      }
      put(f->impls, argv[1], argv[2]);
      return f;
    }

    object *satisfies(int argc, args_t argv)
    {
      check_arity("satisfies?", argc, 2, 2);
      auto *p = expect<protocol_obj>(argv[0], tag::protocol, "satisfies?", "a protocol");
      for(auto *method : p->methods)
      {
        if(impl_for(method, argv[1]) == nullptr)
        {
          return boolean(false);
        }
      }
      return boolean(!p->methods.empty());
    }

    // ---- records ----------------------------------------------------------------------

    object *record_type(int argc, args_t argv)
    {
      check_arity("record-type*", argc, 2, 2);
      return new record_type_obj{ str(argv[0]), to_items(argv[1]) };
    }

    object *make_record(int argc, args_t argv)
    {
      check_arity("make-record*", argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "->Record", "a record type");
      auto values = to_items(argv[1]);
      if(values.size() != t->fields.size())
      {
        fail("Wrong number of args (" + std::to_string(values.size()) + ") passed to: ->"
             + t->name);
      }
      std::vector<object *> kvs;
      for(size_t i = 0; i < values.size(); ++i)
      {
        kvs.push_back(t->fields[i]);
        kvs.push_back(values[i]);
      }
      return new record_obj{ t, map_from(kvs) };
    }

    object *map_to_record(int argc, args_t argv)
    {
      check_arity("map->record*", argc, 2, 2);
      auto *t = expect<record_type_obj>(argv[0], tag::record_type, "map->Record", "a record type");
      object *fields = map_from({});
      for(auto *field : t->fields)
      {
        fields = assoc(fields, field, get(argv[1], field, nil()));
      }
      for(auto *entry : to_items(argv[1]))
      {
        auto kv = to_items(entry);
        fields = assoc(fields, kv.at(0), kv.at(1));
      }
      return new record_obj{ t, fields };
    }

    object *record_p(int argc, args_t argv)
    {
      check_arity("record?", argc, 1, 1);
      return boolean(argv[0]->type == tag::record);
    }

    object *instance_p(int argc, args_t argv)
    {
      check_arity("instance?", argc, 2, 2);
      if(argv[0]->type == tag::record_type)
      {
        return boolean(argv[1]->type == tag::record
                       && static_cast<record_obj *>(argv[1])->type == argv[0]);
      }
      return boolean(equals(type_key(argv[1]), argv[0]));
    }

    native_entry const polymorphism_fns[] = {
      { "multi-fn*", multi_fn },
      { "add-method*", add_method },
      { "remove-method", remove_method },
      { "remove-all-methods", remove_all_methods },
      { "get-method", get_method },
      { "methods", methods },
      { "prefer-method", prefer_method },
      { "prefers", prefers },
      { "protocol*", protocol },
      { "protocol-method*", protocol_method },
      { "add-protocol-impl*", add_protocol_impl },
      { "satisfies?", satisfies },
      { "record-type*", record_type },
      { "make-record*", make_record },
      { "map->record*", map_to_record },
      { "record?", record_p },
      { "instance?", instance_p },
    };
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
        fail("No method in multimethod '" + mf->name
             + "' for dispatch value: " + pr_str(dispatch_value));
      }
      return invoke(method, argc, argv);
    }
    auto *pf = static_cast<protocol_fn_obj *>(f);
    if(argc < 1)
    {
      fail("Wrong number of args (0) passed to protocol method " + pf->method
           + ": it takes the object first");
    }
    auto *impl = impl_for(pf, argv[0]);
    if(impl == nullptr)
    {
      fail("No implementation of method: :" + pf->method + " of protocol: #'" + pf->protocol
           + " found for: " + pr_str(type_key(argv[0])));
    }
    return invoke(impl, argc, argv);
  }

  void install_polymorphism()
  {
    install_natives(polymorphism_fns);
  }
}
