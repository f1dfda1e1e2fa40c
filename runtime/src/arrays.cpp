// Arrays: object-array, int-array and the other typed constructors, aget,
// aset, alength, aclone, into-array and to-array. An array is mutable and of
// fixed length, as on the JVM; elements are ordinary values, and a typed
// array coerces what aset stores to its kind (an int-array holds integers).
#include "arrays.hpp"
#include "lang.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "numbers.hpp"

#include <cmath>
#include <cstring>

namespace jhr
{
  namespace
  {
    array_obj *as_array(object *o, char const *op)
    {
      if(o->type != tag::array)
      {
        fail(std::string{ op } + " expects an array, got " + type_name(o));
      }
      return static_cast<array_obj *>(o);
    }

    /* x as an element of an array of the given kind. */
    object *coerce(char kind, object *x, char const *op)
    {
      switch(kind)
      {
        case 'J':
        case 'I':
        case 'S':
        case 'B':
          return x->type == tag::integer ? x : integer(static_cast<int64_t>(std::trunc(as_double(x, op))));
        case 'D':
          return x->type == tag::real && !static_cast<real_obj *>(x)->single ? x : real(as_double(x, op));
        case 'F':
          return x->type == tag::real && static_cast<real_obj *>(x)->single ? x : single_float(as_double(x, op));
        case 'Z':
          return boolean(truthy(x));
        default:
          return x;
      }
    }

    object *default_element(char kind)
    {
      switch(kind)
      {
        case 'J':
        case 'I':
        case 'S':
        case 'B':
          return integer(0);
        case 'D':
          return real(0.0);
        case 'F':
          return single_float(0.0);
        case 'Z':
          return boolean(false);
        case 'C':
          return character(0);
        default:
          return nil();
      }
    }

    size_t length_arg(object *o, char const *op)
    {
      if(o->type != tag::integer)
      {
        fail(std::string{ op } + " expects a size, got " + type_name(o));
      }
      if(static_cast<integer_obj *>(o)->value < 0)
      {
        /* Java's own exception, whose message is the size. */
        throw_value(call(core("exception*"), { string("NegativeArraySizeException"), string(pr_str(o)) }));
      }
      return static_cast<size_t>(static_cast<integer_obj *>(o)->value);
    }

    /* (kind-array size), (kind-array size init) or (kind-array seq). */
    object *make_typed(char kind, char const *op, int argc, args_t argv)
    {
      check_arity(op, argc, 1, 2);
      if(argc == 1 && argv[0]->type != tag::integer)
      {
        std::vector<object *> items;
        for(auto *x : to_items(argv[0]))
        {
          items.push_back(coerce(kind, x, op));
        }
        return new array_obj{ std::move(items), kind };
      }
      auto const n = length_arg(argv[0], op);
      std::vector<object *> items(n, default_element(kind));
      if(argc == 2)
      {
        if(is_seqable(argv[1]) && argv[1]->type != tag::nil)
        {
          auto init = to_items(argv[1]);
          for(size_t i = 0; i < n && i < init.size(); ++i)
          {
            items[i] = coerce(kind, init[i], op);
          }
        }
        else
        {
          std::fill(items.begin(), items.end(), coerce(kind, argv[1], op));
        }
      }
      return new array_obj{ std::move(items), kind };
    }

    template <char Kind>
    object *typed(int argc, args_t argv)
    {
      constexpr char const *names[] = { "object-array", "long-array", "int-array", "double-array",
                                        "float-array", "boolean-array", "char-array", "byte-array",
                                        "short-array" };
      constexpr char kinds[] = { 'L', 'J', 'I', 'D', 'F', 'Z', 'C', 'B', 'S' };
      char const *name = "array";
      for(size_t i = 0; i < std::size(kinds); ++i)
      {
        if(kinds[i] == Kind)
        {
          name = names[i];
        }
      }
      if(Kind == 'L' && argc == 1 && argv[0]->type == tag::integer)
      {
        return new array_obj{ std::vector<object *>(length_arg(argv[0], name), nil()), 'L' };
      }
      return make_typed(Kind, name, argc, argv);
    }

    /* The array kind of a primitive class (Long/TYPE is `long`), 'L' for any other. */
    char primitive_kind(object *type)
    {
      if(type->type != tag::record_type)
      {
        return 'L';
      }
      auto const &name = static_cast<record_type_obj *>(type)->name;
      static std::pair<char const *, char> const kinds[] = {
        { "long", 'J' }, { "int", 'I' },     { "short", 'S' }, { "byte", 'B' },
        { "double", 'D' }, { "float", 'F' }, { "boolean", 'Z' }, { "char", 'C' },
      };
      for(auto const &[primitive, kind] : kinds)
      {
        if(name == primitive)
        {
          return kind;
        }
      }
      return 'L';
    }

    /* The element class a type names for an object array: a class's name,
     * empty (Object) for anything else. */
    std::string element_class_of(object *type)
    {
      return type->type == tag::record_type ? static_cast<record_type_obj *>(type)->name : std::string{};
    }

    /* An array of dims[0] arrays of dims[1] ... of type's default elements. */
    object *nested_array(object *type, args_t dims, int count)
    {
      auto const kind = type == nullptr ? 'L' : primitive_kind(type);
      auto const length = length_arg(dims[0], "make-array");
      if(count == 1)
      {
        auto *a = new array_obj{ std::vector<object *>(length, default_element(kind)), kind };
        a->element_class = kind == 'L' && type != nullptr ? element_class_of(type) : std::string{};
        return a;
      }
      std::vector<object *> rows;
      rows.reserve(length);
      for(size_t i = 0; i < length; ++i)
      {
        rows.push_back(nested_array(type, dims + 1, count - 1));
      }
      auto *a = new array_obj{ std::move(rows), 'L' };
      /* The class of the arrays it holds, made as one would be (even when length is 0). */
      array_obj inner{ {}, kind };
      inner.element_class = kind == 'L' && type != nullptr ? element_class_of(type) : std::string{};
      for(int depth = count - 1; depth > 1; --depth)
      {
        inner.element_class = array_class_name(&inner);
        inner.kind = 'L';
      }
      a->element_class = array_class_name(&inner);
      return a;
    }

    /* (make-array type n) and (make-array type n m ...), an array of arrays. */
    object *make_array(int argc, args_t argv)
    {
      check_arity("make-array", argc, 1, -1);
      if(argc == 1)
      {
        return nested_array(nullptr, argv, 1);
      }
      return nested_array(argv[0], argv + 1, argc - 1);
    }

    /* (into-array coll) or (into-array type coll): an array of the items, of
     * type's class, or of the first item's as the JVM infers it. */
    object *into_array(int argc, args_t argv)
    {
      check_arity("into-array", argc, 1, 2);
      auto items = to_items(argv[argc - 1]);
      auto const kind = argc == 2 ? primitive_kind(argv[0]) : 'L';
      if(kind != 'L')
      {
        for(auto *&x : items)
        {
          x = coerce(kind, x, "into-array");
        }
        return new array_obj{ std::move(items), kind };
      }
      auto *a = new array_obj{ std::move(items), 'L' };
      if(argc == 2)
      {
        a->element_class = element_class_of(argv[0]);
      }
      else if(!a->items.empty() && a->items.front()->type != tag::nil)
      {
        a->element_class = class_name_of(a->items.front());
      }
      return a;
    }

    object *to_array(int argc, args_t argv)
    {
      check_arity("to-array", argc, 1, 1);
      return new array_obj{ to_items(argv[0]), 'L' };
    }

    object *&element(array_obj *a, object *index, char const *op)
    {
      if(index->type != tag::integer)
      {
        fail(std::string{ op } + " expects an integer index, got " + type_name(index));
      }
      auto const i = static_cast<integer_obj *>(index)->value;
      if(i < 0 || static_cast<size_t>(i) >= a->items.size())
      {
        /* An array's own exception; the same message from a List is an
         * IndexOutOfBoundsException. */
        throw_value(call(core("exception*"), { string("ArrayIndexOutOfBoundsException"),
                                               string("Index " + std::to_string(i) + " out of bounds for length "
                                                      + std::to_string(a->items.size())) }));
      }
      return a->items[static_cast<size_t>(i)];
    }

    /* (aget a i) and (aget a i j ...) for arrays of arrays. */
    object *aget(int argc, args_t argv)
    {
      check_arity("aget", argc, 2, -1);
      object *at = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        at = element(as_array(at, "aget"), argv[i], "aget");
      }
      return at;
    }

    /* (aset a i v) and (aset a i j ... v): stores v, returns it. */
    object *aset(int argc, args_t argv)
    {
      check_arity("aset", argc, 3, -1);
      object *at = argv[0];
      for(int i = 1; i < argc - 2; ++i)
      {
        at = element(as_array(at, "aset"), argv[i], "aset");
      }
      auto *a = as_array(at, "aset");
      auto *value = coerce(a->kind, argv[argc - 1], "aset");
      element(a, argv[argc - 2], "aset") = value;
      return value;
    }

    object *alength(int argc, args_t argv)
    {
      check_arity("alength", argc, 1, 1);
      return integer(static_cast<int64_t>(as_array(argv[0], "alength")->items.size()));
    }

    object *aclone(int argc, args_t argv)
    {
      check_arity("aclone", argc, 1, 1);
      auto *a = as_array(argv[0], "aclone");
      auto *copy = new array_obj{ a->items, a->kind };
      copy->element_class = a->element_class;
      return copy;
    }

    /* (ints a), (longs a), ...: the array itself when it holds that type, as
     * the JVM's casts; an error for any other. */
    template<char Kind>
    object *cast_array(int argc, args_t argv)
    {
      static char const *const names[] = { "booleans", "bytes", "chars", "shorts", "ints", "longs", "floats", "doubles" };
      static char const kinds[] = "ZBCSIJFD";
      auto const *name = names[std::strchr(kinds, Kind) - kinds];
      check_arity(name, argc, 1, 1);
      auto *a = as_array(argv[0], name);
      if(a->kind != Kind)
      {
        fail(std::string{ name } + " expects an array of that type, not " + a_type_name(argv[0]));
      }
      return a;
    }

    object *bytes_p(int argc, args_t argv)
    {
      check_arity("bytes?", argc, 1, 1);
      return boolean(argv[0]->type == tag::array && static_cast<array_obj *>(argv[0])->kind == 'B');
    }

    /* (to-array-2d coll): an array of object arrays, one per inner collection. */
    object *to_array_2d(int argc, args_t argv)
    {
      check_arity("to-array-2d", argc, 1, 1);
      std::vector<object *> rows;
      for(auto *row : to_items(argv[0]))
      {
        rows.push_back(new array_obj{ to_items(row), 'L' });
      }
      return new array_obj{ std::move(rows), 'L' };
    }

    native_entry const array_fns[] = {
      { "booleans", cast_array<'Z'> },
      { "bytes", cast_array<'B'> },
      { "chars", cast_array<'C'> },
      { "shorts", cast_array<'S'> },
      { "ints", cast_array<'I'> },
      { "longs", cast_array<'J'> },
      { "floats", cast_array<'F'> },
      { "doubles", cast_array<'D'> },
      { "bytes?", bytes_p },
      { "to-array-2d", to_array_2d },
      /* (aset-int a i v) and the rest: aset, which stores each array's own type. */
      { "aset-boolean", aset },
      { "aset-byte", aset },
      { "aset-char", aset },
      { "aset-short", aset },
      { "aset-int", aset },
      { "aset-long", aset },
      { "aset-float", aset },
      { "aset-double", aset },
      { "object-array", typed<'L'> },
      { "long-array", typed<'J'> },
      { "int-array", typed<'I'> },
      { "double-array", typed<'D'> },
      { "float-array", typed<'F'> },
      { "boolean-array", typed<'Z'> },
      { "char-array", typed<'C'> },
      { "byte-array", typed<'B'> },
      { "short-array", typed<'S'> },
      { "make-array", make_array },
      { "into-array", into_array },
      { "to-array", to_array },
      { "aget", aget },
      { "aset", aset },
      { "alength", alength },
      { "aclone", aclone },
    };
  }

  namespace
  {
    /* java.lang.reflect.Array's statics: make-array, aget, aset and alength. */
    native_entry const reflect_array_fns[] = {
      { "newInstance", make_array },
      { "get", aget },
      { "set", aset },
      { "getLength", alength },
    };
  }

  void install_arrays()
  {
    install_natives(array_fns);
    install_natives(reflect_array_fns, "Array");
  }
}
