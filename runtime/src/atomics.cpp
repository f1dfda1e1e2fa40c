// java.util.concurrent.atomic's AtomicLong, AtomicInteger, AtomicBoolean and
// AtomicReference, which JVM code uses for counters and one-time flags. The
// page has one thread, so each is a box with Java's methods: an
// AtomicInteger wraps at 32 bits as Java's does, an AtomicLong at 64, and
// compareAndSet compares an AtomicReference's value by identity (numbers
// and strings by value, as the page does not intern them as the JVM does).
#include "atomics.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "object.hpp"

#include <cstdint>
#include <string>

namespace jhr
{
  namespace
  {
    enum class kind
    {
      long_value,
      int_value,
      boolean_value,
      reference,
    };

    struct atomic_class
    {
      kind k;
      char const *name;
    };

    atomic_class const classes[] = {
      { kind::long_value, "java.util.concurrent.atomic.AtomicLong" },
      { kind::int_value, "java.util.concurrent.atomic.AtomicInteger" },
      { kind::boolean_value, "java.util.concurrent.atomic.AtomicBoolean" },
      { kind::reference, "java.util.concurrent.atomic.AtomicReference" },
    };

    /* str of one gives its value's, as toString does. */
    object *to_string(int, args_t argv)
    {
      return string(str(static_cast<instance_obj *>(argv[0])->values[0]));
    }

    record_type_obj *type_of(kind k)
    {
      static record_type_obj *types[std::size(classes)] = {};
      auto const i = static_cast<size_t>(k);
      if(types[i] == nullptr)
      {
        auto *t = class_named(classes[i].name);
        t->to_string = permanent_method("toString", to_string);
        gc::make_permanent(t);
        types[i] = t;
      }
      return types[i];
    }

    /* The kind of an atomic, or nothing when x is not one. */
    bool kind_of(object *x, kind *out)
    {
      if(x->type != tag::instance)
      {
        return false;
      }
      for(auto const &c : classes)
      {
        if(static_cast<instance_obj *>(x)->type == type_of(c.k))
        {
          *out = c.k;
          return true;
        }
      }
      return false;
    }

    /* A value the atomic may hold: its kind's, made to fit as Java's setter would. */
    object *fitted(kind k, object *value, std::string const &method)
    {
      switch(k)
      {
        case kind::long_value:
        case kind::int_value:
          {
            if(value->type != tag::integer)
            {
              fail("." + method + " on an " + (k == kind::int_value ? "AtomicInteger" : "AtomicLong")
                   + " expects an integer, got " + type_name(value));
            }
            auto const n = static_cast<integer_obj *>(value)->value;
            return k == kind::int_value ? integer(static_cast<int32_t>(n)) : value;
          }
        case kind::boolean_value:
          return boolean(truthy(value));
        case kind::reference:
          return value;
      }
      return value;
    }

    bool same(object *a, object *b)
    {
      if(identical(a, b))
      {
        return true;
      }
      auto const by_value = [](object *o) {
        return o->type == tag::integer || o->type == tag::string || o->type == tag::boolean;
      };
      return by_value(a) && by_value(b) && equals(a, b);
    }

    /* value + delta, wrapping as Java's long or int arithmetic does. */
    object *plus(kind k, object *value, int64_t delta)
    {
      auto const sum = static_cast<int64_t>(static_cast<uint64_t>(static_cast<integer_obj *>(value)->value)
                                            + static_cast<uint64_t>(delta));
      return k == kind::int_value ? integer(static_cast<int32_t>(sum)) : integer(sum);
    }

    /* (atomic-new* "java.util.concurrent.atomic.AtomicLong") and with an
     * initial value: 0, false or nil when it has none, as Java's. */
    object *atomic_new(int argc, args_t argv)
    {
      check_arity("atomic-new*", argc, 1, 2);
      auto const name = str(argv[0]);
      for(auto const &c : classes)
      {
        if(name == c.name)
        {
          object *initial = c.k == kind::boolean_value ? boolean(false) : c.k == kind::reference ? nil() : integer(0);
          if(argc == 2)
          {
            initial = fitted(c.k, argv[1], "new");
          }
          return new instance_obj{ type_of(c.k), { initial } };
        }
      }
      fail("No atomic class " + name + " in the page");
    }

    native_entry const atomic_fns[] = {
      { "atomic-new*", atomic_new },
    };
  }

  bool atomic_method(std::string const &method, object *target, int argc, object **argv, object **answer)
  {
    kind k{};
    if(!kind_of(target, &k))
    {
      return false;
    }
    auto &value = static_cast<instance_obj *>(target)->values[0];
    bool const numeric = k == kind::long_value || k == kind::int_value;
    auto const set = [&](object *v) {
      auto *old = value;
      value = fitted(k, v, method);
      return old;
    };
    if((method == "get" || method == "getPlain" || method == "getAcquire" || method == "getOpaque") && argc == 0)
      *answer = value;
    else if((method == "set" || method == "lazySet" || method == "setPlain" || method == "setRelease"
             || method == "setOpaque")
            && argc == 1)
    {
      set(argv[0]);
      *answer = nil();
    }
    else if(method == "getAndSet" && argc == 1)
      *answer = set(argv[0]);
    else if((method == "compareAndSet" || method == "weakCompareAndSet" || method == "weakCompareAndSetPlain")
            && argc == 2)
    {
      bool const swapped = same(value, fitted(k, argv[0], method));
      if(swapped)
      {
        set(argv[1]);
      }
      *answer = boolean(swapped);
    }
    else if(method == "updateAndGet" && argc == 1)
      *answer = (set(invoke(argv[0], 1, &value)), value);
    else if(method == "getAndUpdate" && argc == 1)
      *answer = set(invoke(argv[0], 1, &value));
    else if((method == "accumulateAndGet" || method == "getAndAccumulate") && argc == 2)
    {
      object *args[] = { value, argv[0] };
      auto *old = set(invoke(argv[1], 2, args));
      *answer = method == "getAndAccumulate" ? old : value;
    }
    else if(numeric && (method == "incrementAndGet" || method == "decrementAndGet") && argc == 0)
      *answer = value = plus(k, value, method == "incrementAndGet" ? 1 : -1);
    else if(numeric && (method == "getAndIncrement" || method == "getAndDecrement") && argc == 0)
    {
      *answer = value;
      value = plus(k, value, method == "getAndIncrement" ? 1 : -1);
    }
    else if(numeric && (method == "addAndGet" || method == "getAndAdd") && argc == 1)
    {
      auto *old = value;
      value = plus(k, value, static_cast<integer_obj *>(fitted(k, argv[0], method))->value);
      *answer = method == "getAndAdd" ? old : value;
    }
    else if(numeric && (method == "longValue" || method == "intValue") && argc == 0)
      *answer = method == "intValue" ? plus(kind::int_value, value, 0) : value;
    else if(numeric && method == "doubleValue" && argc == 0)
      *answer = real(static_cast<double>(static_cast<integer_obj *>(value)->value));
    else
      return false;
    return true;
  }

  void install_atomics()
  {
    install_natives(atomic_fns);
  }
}
