// The reference runtime's object model: immutable values behind opaque pointers.
//
// Every object made with `new` belongs to the collector (gc.hpp), which frees
// the unreachable ones at quiescent points, when no wasm frame is live. Nil,
// the booleans and small integers are static singletons, never freed.
#pragma once

#include "entry_table.hpp"
#include "vector_trie.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <initializer_list>
#include <vector>

namespace jhr
{
  enum class tag : uint8_t
  {
    nil,
    boolean,
    integer,
    real,
    string,
    character,
    keyword,
    symbol,
    list,
    vector_seq,
    vector,
    map,
    set,
    fn,
    var,
    lazy_seq,
    cons,
    cell,
    delay,
    ex_info,
    regex,
    multi_fn,
    protocol,
    protocol_fn,
    record_type,
    record,
    ratio, /* ratio_obj (numbers.hpp) */
    big_integer, /* big_integer_obj, Clojure's BigInt (numbers.hpp) */
    big_decimal, /* big_decimal_obj, java.math.BigDecimal (numbers.hpp, decimal.cpp) */
    reduced,
    trie_node, /* a node of a hash map's or set's trie (entry_table.cpp) */
    tree_node, /* a node of a sorted map's or set's tree (sorted_tree.cpp) */
    transient, /* (transient coll), until persistent! */
    array, /* (object-array n), (int-array n), ...: mutable, fixed length (arrays.cpp) */
    ns, /* a namespace as a value: *ns*, (the-ns 'user) (namespace_fns.cpp) */
    queue, /* clojure.lang.PersistentQueue (queue.cpp) */
    instance, /* of a deftype or reify: fields and protocols, no map behaviour */
    uuid, /* #uuid "…", random-uuid: 128 bits, as java.util.UUID (uuid.cpp) */
    long_range, /* (range 5), (range 0 10 3): clojure.lang.LongRange (seqs.cpp) */
    env, /* what a C++ closure or lazy step captured (native.hpp); never a value */
    inst, /* #inst "…", (java.util.Date.): milliseconds since the epoch (inst.cpp) */
  };

  struct object
  {
    constexpr explicit object(tag t)
      : type{ t }
    {
    }

    /* A copy is a new object: it starts unmarked, whatever the original was. */
    constexpr object(object const &other)
      : type{ other.type }
    {
    }

    object &operator=(object const &) = delete;

    /* Heap objects are registered with the collector (gc.cpp). */
    static void *operator new(size_t size);
    static void *operator new(size_t, void *place)
    {
      return place;
    }
    static void operator delete(void *p, size_t size);

    tag type;
    /* Set while a collection marks: reachable from a root. Static singletons
     * keep it once set, which is harmless because none has children. */
    bool marked{};
    /* Set while the object has an entry in the metadata table (text.cpp), so
     * that assoc, conj and the like can carry metadata over without a lookup. */
    bool has_meta{};
  };

  /* A runtime error. It is an ordinary C++ exception so that it unwinds through
   * patch code (which has no handlers) to the nearest entry point, which turns
   * it into an error value instead of aborting the module. */
  struct runtime_error : std::runtime_error
  {
    using std::runtime_error::runtime_error;
  };

  [[noreturn]] void fail(std::string const &message);

  struct boolean_obj : object
  {
    constexpr explicit boolean_obj(bool v)
      : object{ tag::boolean }
      , value{ v }
    {
    }

    bool value;
  };

  struct integer_obj : object
  {
    explicit integer_obj(int64_t v)
      : object{ tag::integer }
      , value{ v }
    {
    }

    int64_t value;
  };

  struct real_obj : object
  {
    explicit real_obj(double v)
      : object{ tag::real }
      , value{ v }
    {
    }

    double value;
    /* A java.lang.Float, as (float x) makes: the value is rounded to float
     * precision and prints and hashes as Java's Float. Arithmetic on it
     * gives doubles, as Clojure's does. */
    bool single{};
  };

  /* (reduced x): tells reduce and transduce to stop with x. */
  struct reduced_obj : object
  {
    explicit reduced_obj(object *v)
      : object{ tag::reduced }
      , value{ v }
    {
    }

    object *value;
  };

  struct string_obj : object
  {
    explicit string_obj(std::string v)
      : object{ tag::string }
      , value{ std::move(v) }
    {
    }

    /* Whether every byte is ASCII, so that a character index is a byte
     * offset: count, nth, get and subs are then O(1) instead of a walk
     * over the UTF-8. Worked out on first use; whatever changes value in
     * place (a StringBuilder's buffer) calls changed(). */
    bool is_ascii() const
    {
      if(ascii_ < 0)
      {
        ascii_ = 1;
        for(char c : value)
        {
          if(static_cast<unsigned char>(c) >= 0x80)
          {
            ascii_ = 0;
            break;
          }
        }
      }
      return ascii_ == 1;
    }

    void changed()
    {
      ascii_ = -1;
    }

    std::string value;

  private:
    mutable int8_t ascii_{ -1 };
  };

  /* A string's length in characters (code points). */
  size_t string_length(string_obj const *s);
  /* The character at index i of s, or nullptr when i is out of range. */
  object *string_char_at(string_obj const *s, int64_t i);
  /* The byte offset of character index i of s (i may be its length); npos
   * when i is out of range. */
  size_t string_offset(string_obj const *s, int64_t i);

  struct char_obj : object
  {
    explicit char_obj(int32_t cp)
      : object{ tag::character }
      , codepoint{ cp }
    {
    }

    int32_t codepoint;
  };

  /* Keywords are interned, so identity is equality. */
  struct keyword_obj : object
  {
    keyword_obj(std::string n, std::string nm)
      : object{ tag::keyword }
      , ns{ std::move(n) }
      , name{ std::move(nm) }
    {
    }

    std::string ns, name;
    /* The string name (and, for a symbol, str) gives, made once: the JVM
     * gives one interned String each time, which code compares with
     * identical? (core.logic's logic variables do). */
    object *name_text{};
  };

  struct symbol_obj : object
  {
    symbol_obj(std::string n, std::string nm)
      : object{ tag::symbol }
      , ns{ std::move(n) }
      , name{ std::move(nm) }
    {
    }

    std::string ns, name;
    /* The string name (and, for a symbol, str) gives, made once: the JVM
     * gives one interned String each time, which code compares with
     * identical? (core.logic's logic variables do). */
    object *name_text{};
  };

  /* A persistent singly linked list; the empty list has count 0. */
  struct list_obj : object
  {
    constexpr list_obj(object *f, list_obj const *r, size_t c)
      : object{ tag::list }
      , first{ f }
      , rest{ r }
      , count{ c }
    {
    }

    object *first;
    list_obj const *rest;
    size_t count;
  };

  /* Vectors: a 32-way trie with a tail (vector_trie.hpp). */
  struct vector_obj : object
  {
    explicit vector_obj(vector_trie t)
      : object{ tag::vector }
      , items{ std::move(t) }
      , count{ items.size() }
    {
    }

    object *at(size_t i) const
    {
      return items.at(i);
    }

    vector_trie items;
    size_t count;
    /* A map's [key value] entry (map-entry? tells); any change makes a plain vector. */
    bool map_entry{};
    /* What subvec made: Clojure's SubVector, whose seq is not chunked. */
    bool subvector{};
  };

  /* The seq of a vector from an offset, so that first/rest walks are O(1). */
  struct vector_seq_obj : object
  {
    vector_seq_obj(vector_obj const *v, size_t o)
      : object{ tag::vector_seq }
      , vec{ v }
      , offset{ o }
    {
    }

    vector_obj const *vec;
    size_t offset;
  };

  /* What a C++ closure or a lazy seq's C++ step captured: a few values,
   * inline, so that a step of map or take costs one small allocation for
   * them instead of a vector and its buffer. */
  struct env_obj : object
  {
    static constexpr size_t capacity = 6;

    env_obj()
      : object{ tag::env }
    {
    }

    uint32_t count{};
    object *slots[capacity]{};
  };

  /* Clojure's LongRange: count longs from start by step, never empty (an
   * empty range is ()). It is its own seq, as the JVM's is, so first, rest,
   * count, nth and reduce are O(1) per step with nothing realized: a range of
   * ten million items is three numbers until something walks it. */
  struct long_range_obj : object
  {
    long_range_obj(int64_t from, int64_t by, int64_t n)
      : object{ tag::long_range }
      , start{ from }
      , step{ by }
      , count{ n }
    {
    }

    int64_t at(int64_t i) const
    {
      return start + step * i;
    }

    int64_t start;
    int64_t step;
    int64_t count;
  };

  /* Maps print their first eight entries in insertion order, as Clojure's
   * array maps do; larger ones are hash tries (entry_table.hpp). */
  struct map_obj : object
  {
    map_obj()
      : object{ tag::map }
    {
    }

    explicit map_obj(entry_table e)
      : object{ tag::map }
      , entries{ std::move(e) }
    {
    }

    entry_table entries;
  };

  /* A set is a table whose values are its keys. */
  struct set_obj : object
  {
    set_obj()
      : object{ tag::set }
      , items{ entry_table::hashed() }
    {
    }

    explicit set_obj(entry_table e)
      : object{ tag::set }
      , items{ std::move(e) }
    {
    }

    /* The members, in the table's order. */
    std::vector<object *> members() const
    {
      std::vector<object *> out;
      out.reserve(items.size());
      items.for_each([&](object *k, object *) { out.push_back(k); });
      return out;
    }

    entry_table items;
  };

  /* A C++ function of clojure.core: it checks its own argument count. */
  using native_fn = object *(*)(int argc, object **argv);
  /* A C++ closure: `env` holds what it closed over (a vector, most often). */
  using native_closure_fn = object *(*)(object *env, int argc, object **argv);

  struct fn_obj : object
  {
    fn_obj()
      : object{ tag::fn }
    {
    }

    std::string name; /* for printing and error messages; may be empty */
    /* A C++ closure's clojure.core name ("lazy-seq"), static text used when
     * name is empty: a lazy seq's every step makes one, and a std::string
     * longer than libc++'s 10 inline characters would be a malloc each. */
    char const *core_name{};
    native_fn native{}; /* set for clojure.core functions */
    native_closure_fn closure{}; /* set for closures made in C++ (comp, partial, ...) */
    object *closure_env{};
    void *env{}; /* closures: passed before the arguments */
    void *fixed[21]{}; /* patch function pointers by fixed arity */
    int variadic_required{ -1 }; /* "N+": N fixed parameters, then a rest seq */
    void *variadic{};
  };

  /* A fn's name for printing and messages: its own, "clojure.core/" and its
   * core_name, or empty. */
  std::string fn_name(fn_obj const *f);
  /* A fn's class name as the JVM gives it: clojure.core$inc, my.app$valid_QMARK_;
   * "fn" for an anonymous one. */
  std::string fn_class_name(fn_obj const *f);

  struct namespace_obj;

  struct var_obj : object
  {
    var_obj(namespace_obj *n, std::string nm)
      : object{ tag::var }
      , ns{ n }
      , name{ std::move(nm) }
    {
    }

    namespace_obj *ns;
    std::string name;
    object *root{};
    bool bound{};
    /* ns-unmap took it out of its namespace: a patch that kept it calls the
     * var of its name instead (see jank_call), as a call by name would. */
    bool unmapped{};
    /* add-watch on a var: key to fn, called when its root changes. */
    std::vector<std::pair<object *, object *>> watches;
  };

  /* A persistent FIFO queue, as Clojure's PersistentQueue: a seq to take
   * from and a vector to add to; when the seq runs out the vector becomes it. */
  struct queue_obj : object
  {
    queue_obj(object *f, object *r, size_t n)
      : object{ tag::queue }
      , front{ f }
      , rear{ r }
      , count{ n }
    {
    }

    object *front; /* a seq, or nil */
    object *rear; /* a vector, or nil */
    size_t count;
  };

  /* The empty queue (clojure.lang.PersistentQueue/EMPTY). */
  object *empty_queue();
  object *queue_conj(queue_obj *q, object *x);
  object *queue_peek(queue_obj const *q);
  object *queue_pop(queue_obj *q);

  /* A namespace as a value. One per namespace, permanent like the namespace. */
  struct ns_obj : object
  {
    explicit ns_obj(namespace_obj *n)
      : object{ tag::ns }
      , ns{ n }
    {
    }

    namespace_obj *ns;
  };

  /* (lazy-seq body): the body runs once, on the first seq. The body is a fn
   * of no arguments (jank's lazy-seq), or a C++ step and its environment:
   * the seq library's steps skip a fn object per item that way. */
  struct lazy_seq_obj : object
  {
    explicit lazy_seq_obj(object *t)
      : object{ tag::lazy_seq }
      , thunk{ t }
    {
    }

    lazy_seq_obj(native_closure_fn body, object *env)
      : object{ tag::lazy_seq }
      , thunk{}
      , step{ body }
      , step_env{ env }
    {
    }

    bool is_realized() const
    {
      return thunk == nullptr && step == nullptr;
    }

    object *thunk; /* nullptr once realized */
    native_closure_fn step{}; /* nullptr once realized */
    object *step_env{};
    object *realized{};
    bool chunked{}; /* made chunk by chunk (seqs.cpp), as Clojure's chunked seqs */
  };

  /* A seq cell whose rest is any seqable (a lazy seq, most often). */
  struct cons_obj : object
  {
    cons_obj(object *f, object *r)
      : object{ tag::cons }
      , first{ f }
      , rest{ r }
    {
    }

    object *first;
    object *rest;
  };

  /* Atoms and volatiles: a mutable reference. */
  /* Which reference type an is_atom cell is (concurrency.cpp): refs and
   * agents share the atom's validator and watches. */
  enum class reference : uint8_t
  {
    atom,
    ref,
    agent,
  };

  struct cell_obj : object
  {
    cell_obj(object *v, bool a)
      : object{ tag::cell }
      , value{ v }
      , is_atom{ a }
    {
    }

    object *value;
    bool is_atom;
    reference kind{ reference::atom };
    object *agent_error{}; /* an agent's failure, until restart-agent */
    object *error_handler{}; /* an agent's (fn [agent exception]), or null */
    bool error_continue{}; /* an agent's :error-mode :continue: failures leave it running */
    /* A ref's :min-history and :max-history, as set; the page's one thread
     * never makes a transaction retry, so a ref keeps no history. */
    int min_history{ 0 };
    int max_history{ 10 };
    object *validator{};
    std::vector<std::pair<object *, object *>> watches; /* key, fn */
  };

  /* (transient coll): a vector, map or set edited in place by conj!, assoc!
   * and the rest. Each edit swaps in the next persistent version, so the
   * semantics are Clojure's (including use after persistent! failing) while
   * the speed is the persistent structure's. */
  struct transient_obj : object
  {
    explicit transient_obj(object *c)
      : object{ tag::transient }
      , coll{ c }
    {
    }

    object *coll; /* what it builds; after persistent!, what that returned */
    bool ended{}; /* persistent! was called: conj! and the rest fail */
  };

  /* A Java-style array: fixed length, mutable in place with aset. The element
   * kind is kept for printing and for the default element (0 for numbers). */
  struct array_obj : object
  {
    array_obj(std::vector<object *> i, char k)
      : object{ tag::array }
      , items{ std::move(i) }
      , kind{ k }
    {
    }

    std::vector<object *> items;
    char kind; /* as the JVM names it: 'L' objects, 'J' long, 'I' int, 'D' double, 'F', 'Z', 'C', 'B', 'S' */
    /* An object array's element class ("java.lang.String"), or the class of
     * the arrays an array of arrays holds ("[J"); empty for java.lang.Object. */
    std::string element_class{};
  };

  /* The array's class name as the JVM gives it: "[J", "[Ljava.lang.String;", "[[J". */
  inline std::string array_class_name(array_obj const *a)
  {
    if(a->kind != 'L')
    {
      return std::string{ '[' } + a->kind;
    }
    auto const &element = a->element_class;
    if(element.empty())
    {
      return "[Ljava.lang.Object;";
    }
    return element.front() == '[' ? '[' + element : "[L" + element + ';';
  }

  /* (delay body): runs once, when forced or dereferenced. */
  struct delay_obj : object
  {
    explicit delay_obj(object *t)
      : object{ tag::delay }
      , thunk{ t }
    {
    }

    object *thunk; /* nullptr once realized */
    object *value{};
    /* (promise): realized by deliver; its thunk only reports the deref of an
     * undelivered promise, which in the page's one thread would never return. */
    bool is_promise{};
    /* (future ...): a promise delivered when made (the page has one thread). */
    bool is_future{};
    /* What a delay's body threw, thrown again by every later deref as
     * Clojure's Delay does; a future's is the ExecutionException its deref throws. */
    object *error{};
  };

  /* ex-info, and runtime errors once caught. */
  struct ex_info_obj : object
  {
    ex_info_obj(std::string m, object *d, object *c, std::string java = {})
      : object{ tag::ex_info }
      , message{ std::move(m) }
      , data{ d }
      , cause{ c }
      , java_class{ std::move(java) }
    {
    }

    std::string message;
    object *data;
    object *cause;
    /* (Exception.) has no message: getMessage gives nil, as in Java. */
    bool message_is_nil{ false };
    /* The JVM class it stands for, for catch clauses ("java.lang.ArithmeticException");
     * empty for a runtime error the runtime does not classify. */
    std::string java_class;
  };

  /* #"pattern": Java's syntax, compiled by Boost.Regex (regex.cpp). */
  struct regex_obj : object
  {
    explicit regex_obj(std::string s);
    regex_obj(regex_obj const &) = delete;
    ~regex_obj();

    std::string source;
    struct compiled;
    compiled *re; /* owned; freed with the object */
  };

  /* defmulti: a dispatch fn and methods by dispatch value (compared with =). */
  struct multi_fn_obj : object
  {
    multi_fn_obj(std::string n, object *d, object *dv)
      : object{ tag::multi_fn }
      , name{ std::move(n) }
      , dispatch{ d }
      , default_value{ dv }
    {
    }

    std::string name;
    object *dispatch;
    object *default_value;
    std::vector<std::pair<object *, object *>> methods; /* dispatch value, fn */
    std::vector<std::pair<object *, object *>> prefers; /* preferred, the set it is preferred over */
    /* defmulti's :hierarchy, a reference (a var or an atom) to the hierarchy
     * dispatch walks; null for the global one. */
    object *hierarchy{};
  };

  /* One method of a protocol: implementations by the type of its first argument
   * (a type keyword such as :string or :default, or a record type). */
  struct protocol_fn_obj : object
  {
    protocol_fn_obj(std::string p, std::string m)
      : object{ tag::protocol_fn }
      , protocol{ std::move(p) }
      , method{ std::move(m) }
    {
    }

    std::string protocol, method;
    std::vector<std::pair<object *, object *>> impls;
    /* defprotocol's :extend-via-metadata: a value's metadata may hold an
     * implementation under the method's qualified symbol. */
    bool via_metadata{};
  };

  /* defprotocol: its name and its methods. */
  struct protocol_obj : object
  {
    explicit protocol_obj(std::string n)
      : object{ tag::protocol }
      , name{ std::move(n) }
    {
    }

    std::string name;
    std::vector<protocol_fn_obj *> methods;
    bool via_metadata{};
    /* Types that implement it in their defrecord or deftype: not extenders. */
    std::vector<object *> implemented_inline{};
  };

  /* defrecord: a named type with its basis fields, in order. */
  struct record_type_obj : object
  {
    record_type_obj(std::string n, std::vector<object *> f)
      : object{ tag::record_type }
      , name{ std::move(n) }
      , fields{ std::move(f) }
    {
    }

    std::string name; /* "user.Point", as Clojure prints it */
    std::vector<object *> fields; /* keywords */
    /* A reify form's type: its instances are not clojure.lang.IType. */
    bool reified{};
    /* defrecord's `Object (toString [this] ...)`: what `str` gives, or null. */
    object *to_string{};
    /* What the type implements of Clojure's own interfaces (IDeref's deref,
     * IFn's invoke, ILookup's valAt, Counted's count, Seqable's seq): fns of
     * this and the call's arguments, or null. deref, calls, get, count and
     * seq use them. */
    object *deref_fn{};
    object *invoke_fn{};
    object *lookup_fn{};
    object *count_fn{};
    object *seq_fn{};
    /* java.io.Closeable's (and AutoCloseable's) close, which with-open calls. */
    object *close_fn{};
    /* A deftype's `Object (equals [this o] ...)` and `(hashCode [this] ...)`,
     * which = and hash use; or null, for identity. */
    object *equals_fn{};
    object *hash_fn{};
    /* java.lang.Comparable's compareTo, which compare and sort use; or null. */
    object *compare_fn{};
    /* java.util's lists, maps and sets (java_util.cpp): a fn of this giving
     * the persistent collection it equals and prints as, or null. */
    object *persistent_view{};
    /* A built-in type with its own printed form (a TaggedLiteral's #tag
     * form): a fn of this and whether printing is readable, giving the text;
     * or null. */
    object *print_fn{};
    /* The rest of Clojure's collection interfaces a deftype or reify
     * implements, by method name: Indexed's nth, IPersistentCollection's
     * cons and empty, IPersistentStack's peek and pop, IMeta's meta, IObj's
     * withMeta, Associative's containsKey, entryAt and assoc,
     * IPersistentMap's without, Reversible's rseq. */
    std::vector<std::pair<std::string, object *>> methods{};
    /* The interfaces of Clojure's and Java's it declares, by full name
     * (clojure.lang.ISeq, java.lang.Iterable): for instance?, seq?, coll?,
     * sequential?, = and printing, which go by interface. */
    std::vector<std::string> interfaces{};
    /* The protocols (definterfaces among them) its defrecord, deftype or
     * reify implements inline: (.m x) finds their methods by name, as the
     * JVM finds an interface's method on the class. */
    std::vector<protocol_obj *> inline_protocols{};
  };

  /* A record: a map of its fields (basis fields first) that knows its type. */
  struct record_obj : object
  {
    record_obj(record_type_obj *t, object *f)
      : object{ tag::record }
      , type{ t }
      , fields{ f }
    {
    }

    record_type_obj *type;
    object *fields; /* a map */
  };

  /* An instance of a deftype (or a reify): its type's fields, in order.
   * Unlike a record it is not a map: equal only to itself, printed as an
   * #object, its fields read with (.-field x). */
  struct instance_obj : object
  {
    instance_obj(record_type_obj *t, std::vector<object *> v)
      : object{ tag::instance }
      , type{ t }
      , values{ std::move(v) }
    {
    }

    record_type_obj *type;
    std::vector<object *> values;
  };

  /* x's type's implementation of one of Clojure's interfaces, or null. */
  inline object *interface_fn(object *x, object *record_type_obj::*slot)
  {
    if(x->type == tag::instance)
    {
      return static_cast<instance_obj *>(x)->type->*slot;
    }
    if(x->type == tag::record)
    {
      return static_cast<record_obj *>(x)->type->*slot;
    }
    return nullptr;
  }

  /* The method `name` of a protocol or definterface x's type implements
   * inline (record_type_obj::inline_protocols), or null: (.name x) calls it. */
  inline object *inline_protocol_method(object *x, std::string_view name)
  {
    record_type_obj const *t = x->type == tag::instance ? static_cast<instance_obj *>(x)->type
      : x->type == tag::record                          ? static_cast<record_obj *>(x)->type
                                                         : nullptr;
    if(t == nullptr)
    {
      return nullptr;
    }
    for(auto const *p : t->inline_protocols)
    {
      for(auto *method : p->methods)
      {
        if(method->method == name)
        {
          return method;
        }
      }
    }
    return nullptr;
  }

  /* A deftype's or reify's implementation of an interface method by name
   * (record_type_obj::methods), or null. */
  inline object *type_method_of(object *x, std::string_view name)
  {
    if(x->type != tag::instance)
    {
      return nullptr;
    }
    for(auto const &[method, fn] : static_cast<instance_obj *>(x)->type->methods)
    {
      if(method == name)
      {
        return fn;
      }
    }
    return nullptr;
  }

  /* Whether x is a deftype or reify instance that declares the interface
   * `full_name` (clojure.lang.ISeq). */
  inline bool declares(object const *x, std::string_view full_name)
  {
    if(x->type != tag::instance)
    {
      return false;
    }
    auto const &interfaces = static_cast<instance_obj const *>(x)->type->interfaces;
    return std::find(interfaces.begin(), interfaces.end(), full_name) != interfaces.end();
  }

  /* Sequential, directly or through IPersistentList or IPersistentVector. */
  inline bool declares_sequential(object const *x)
  {
    return declares(x, "clojure.lang.Sequential") || declares(x, "clojure.lang.IPersistentList")
      || declares(x, "clojure.lang.IPersistentVector");
  }

  /* IPersistentCollection, directly or through one that extends it. */
  inline bool declares_collection(object const *x)
  {
    static constexpr std::string_view collections[] = {
      "clojure.lang.IPersistentCollection", "clojure.lang.ISeq",           "clojure.lang.IPersistentList",
      "clojure.lang.IPersistentVector",     "clojure.lang.IPersistentMap", "clojure.lang.IPersistentSet",
      "clojure.lang.IPersistentStack",      "clojure.lang.Associative",
    };
    return std::any_of(std::begin(collections), std::end(collections), [x](auto name) { return declares(x, name); });
  }

  /* Calls such a method with this and the rest of the arguments. */
  object *call_method(object *f, std::initializer_list<object *> args);

  /* A UUID: its most and least significant halves, as java.util.UUID's. */
  struct uuid_obj : object
  {
    uuid_obj(uint64_t most, uint64_t least)
      : object{ tag::uuid }
      , msb{ most }
      , lsb{ least }
    {
    }

    uint64_t msb;
    uint64_t lsb;
  };

  /* An instant, as java.util.Date: milliseconds since the epoch, UTC. */
  struct inst_obj : object
  {
    explicit inst_obj(int64_t milliseconds)
      : object{ tag::inst }
      , ms{ milliseconds }
    {
    }

    int64_t ms;
  };

  /* A jank `throw` of any value, unwinding to the nearest try or entry point. */
  struct thrown_value : runtime_error
  {
    thrown_value(object *v, std::string const &what)
      : runtime_error{ what }
      , value{ v }
    {
    }

    object *value;
  };

  /* Realizes a lazy seq: its seq, or nil. */
  object *realize(lazy_seq_obj *lazy);

  /* Shared singletons and constructors. */
  object *nil();
  object *boolean(bool b);
  object *integer(int64_t v);
  object *real(double v);
  /* A java.lang.Float of v rounded to float precision. */
  object *single_float(double v);
  object *string(std::string v);
  object *character(int32_t cp);
  object *keyword(std::string const &ns, std::string const &name);
  object *symbol(std::string ns, std::string name);
  list_obj const *empty_list();
  object *list_from(std::vector<object *> const &items);
  object *vector_from(std::vector<object *> items);
  /* A map entry: a two-item vector that map-entry? recognizes. */
  object *map_entry(object *key, object *value);
  /* What a table's seq gives: its entries (a map's map entries, a set's
   * members), or a map's keys or values. */
  enum class table_part : uint8_t
  {
    entries,
    keys,
    vals,
  };

  /* (seq m), (keys m) and (vals m) of a hash or sorted map or set (seqs.cpp):
   * made a subtree at a time, so seq and first cost a path, not the whole
   * table. */
  object *table_seq(object *map_or_set, table_part part = table_part::entries);
  object *map_from(std::vector<object *> const &alternating_keys_values);
  /* A map that keeps the pairs' order at any size (array-map). */
  object *array_map_from(std::vector<object *> const &alternating_keys_values);
  object *set_from(std::vector<object *> const &items);
  /* The first of the keys (every stride-th item) equal to an earlier one, or
   * null: what a literal map or set may not have. */
  object *first_duplicate_key(std::vector<object *> const &items, size_t stride);
  /* As map_from and set_from, for a literal: equal keys are an error. */
  object *map_from_literal(std::vector<object *> const &alternating_keys_values);
  object *set_from_literal(std::vector<object *> const &items);

  bool truthy(object const *o);
  bool equals(object const *a, object const *b);
  /* identical? as the JVM answers it: the same object, where the JVM's boxes
   * of small integers (-128 to 127) and of ASCII characters are shared. */
  bool identical(object const *a, object const *b);
  uint64_t hash(object const *o);
  char const *type_name(object const *o);
  /* The type's name with its article, for messages: "an integer", "a vector". */
  std::string a_type_name(object const *o);

  /* Sequences: anything seqable walks as a std::vector (nil is empty). */
  std::vector<object *> to_items(object *coll);
  bool is_seqable(object const *o);
  /* nil for an empty collection, else a seq view. */
  object *seq(object *coll);
  object *first(object *coll);
  object *rest(object *coll);
  /* The collection a transient is building; an error once persistent! ended it. */
  object *transient_value(object *t);
  size_t count(object *coll);

  object *get(object *coll, object *key, object *not_found);
  object *assoc(object *coll, object *key, object *value);
  object *dissoc(object *coll, object *key);
  object *conj(object *coll, object *x);
  bool contains(object *coll, object *key);

  std::string pr_str(object const *o);
  /* pr_str that stops once the text passes max_chars (without walking the
   * rest of a long or endless seq); `stopped` says whether it did. */
  std::string pr_str_within(object const *o, size_t max_chars, bool &stopped);
  /* clojure.pprint/pprint's text for o, ending in a newline (printer.cpp). */
  std::string pprint_str(object *o);
  std::string str(object const *o);
  /* As `print` shows it: nothing readable at any depth (strings unquoted). */
  std::string print_str(object const *o);
  /* print, println, pr and prn: args printed to *out* with spaces between,
   * streamed, so that output made while realizing a lazy seq among them
   * comes after what is printed before it, as on the JVM. */
  void print_to_output(int argc, object **argv, bool readably, bool newline);

  template <typename T>
  T *as(object *o, tag t, char const *what)
  {
    if(o == nullptr || o->type != t)
    {
      fail(std::string{ "expected " } + what + ", got " + type_name(o));
    }
    return static_cast<T *>(o);
  }
}
