// JVM classes as values (see classes.hpp).
#include "classes.hpp"

#include "entry_table.hpp"
#include "gc.hpp"
#include "lang.hpp"
#include "native.hpp"
#include "numbers.hpp"

#include <algorithm>
#include <initializer_list>
#include <unordered_map>
#include <vector>

namespace jhr
{
  namespace
  {
    struct class_info
    {
      char const *name;
      bool is_interface;
      char const *type_key; /* the protocol key extend-type uses, or null */
      std::initializer_list<char const *> supers; /* direct superclass and interfaces */
    };

    /* The classes, each with its direct supertypes as the JVM has them (the
     * parts a Clojure program can observe with isa? and instance?). */
    class_info const known_classes[] = {
      { "java.lang.Object", false, "object", {} },
      { "java.lang.Class", false, nullptr, { "java.lang.Object" } },
      { "java.lang.Comparable", true, nullptr, {} },
      { "java.lang.CharSequence", true, "string", {} },
      { "java.lang.Iterable", true, nullptr, {} },
      { "java.lang.Runnable", true, nullptr, {} },
      { "java.lang.AutoCloseable", true, nullptr, {} },
      { "java.io.Closeable", true, nullptr, { "java.lang.AutoCloseable" } },
      { "java.util.concurrent.Callable", true, nullptr, {} },
      { "java.util.Collection", true, nullptr, { "java.lang.Iterable" } },
      { "java.util.List", true, nullptr, { "java.util.Collection" } },
      { "java.util.Set", true, nullptr, { "java.util.Collection" } },
      { "java.util.Map", true, nullptr, {} },
      { "java.util.Map$Entry", true, nullptr, {} },
      { "java.util.RandomAccess", true, nullptr, {} },
      { "java.util.Queue", true, nullptr, { "java.util.Collection" } },
      { "java.util.Deque", true, nullptr, { "java.util.Queue" } },
      /* java.util's mutable collections (java_util.cpp). */
      { "java.util.ArrayList", false, nullptr, { "java.lang.Object", "java.util.List", "java.util.RandomAccess" } },
      { "java.util.LinkedList", false, nullptr, { "java.lang.Object", "java.util.List", "java.util.Deque" } },
      { "java.util.ArrayDeque", false, nullptr, { "java.lang.Object", "java.util.Deque" } },
      { "java.util.PriorityQueue", false, nullptr, { "java.lang.Object", "java.util.Queue" } },
      { "java.util.HashMap", false, nullptr, { "java.lang.Object", "java.util.Map" } },
      { "java.util.LinkedHashMap", false, nullptr, { "java.util.HashMap" } },
      { "java.util.TreeMap", false, nullptr, { "java.lang.Object", "java.util.Map" } },
      { "java.util.HashSet", false, nullptr, { "java.lang.Object", "java.util.Set" } },
      { "java.util.LinkedHashSet", false, nullptr, { "java.util.HashSet" } },
      { "java.util.TreeSet", false, nullptr, { "java.lang.Object", "java.util.Set" } },
      { "java.util.concurrent.ConcurrentHashMap", false, nullptr, { "java.lang.Object", "java.util.Map" } },
      /* java.lang.ref (references.cpp). */
      { "java.lang.ref.Reference", false, nullptr, { "java.lang.Object" } },
      { "java.lang.ref.SoftReference", false, nullptr, { "java.lang.ref.Reference" } },
      { "java.lang.ref.WeakReference", false, nullptr, { "java.lang.ref.Reference" } },
      { "java.lang.ref.PhantomReference", false, nullptr, { "java.lang.ref.Reference" } },
      { "java.lang.ref.ReferenceQueue", false, nullptr, { "java.lang.Object" } },
      // Values.
      { "java.lang.Number", false, "number", { "java.lang.Object" } },
      { "java.lang.Long", false, "integer", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.Integer", false, "integer", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.Short", false, "integer", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.Byte", false, "integer", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.Double", false, "double", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.Float", false, "double", { "java.lang.Number", "java.lang.Comparable" } },
      { "clojure.lang.Ratio", false, "ratio", { "java.lang.Number", "java.lang.Comparable" } },
      { "clojure.lang.BigInt", false, "big-integer", { "java.lang.Number" } },
      { "java.math.BigInteger", false, "big-integer", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.math.BigDecimal", false, "big-decimal", { "java.lang.Number", "java.lang.Comparable" } },
      { "java.lang.String", false, "string", { "java.lang.Object", "java.lang.CharSequence", "java.lang.Comparable" } },
      { "java.lang.Boolean", false, "boolean", { "java.lang.Object", "java.lang.Comparable" } },
      { "java.lang.Character", false, "char", { "java.lang.Object", "java.lang.Comparable" } },
      { "java.util.UUID", false, "uuid", { "java.lang.Object", "java.lang.Comparable" } },
      { "java.util.Date", false, "inst", { "java.lang.Object", "java.lang.Comparable" } },
      { "java.util.regex.Pattern", false, "regex", { "java.lang.Object" } },
      // Clojure's interfaces.
      /* Keyed by itself: keywords, maps, vectors and vars are IFns as well as fns. */
      { "clojure.lang.IFn", true, nullptr, { "java.util.concurrent.Callable", "java.lang.Runnable" } },
      { "clojure.lang.Fn", true, nullptr, {} },
      { "clojure.lang.IMeta", true, nullptr, {} },
      { "clojure.lang.IObj", true, nullptr, { "clojure.lang.IMeta" } },
      { "clojure.lang.Named", true, nullptr, {} },
      { "clojure.lang.Seqable", true, nullptr, {} },
      { "clojure.lang.Counted", true, nullptr, {} },
      { "clojure.lang.Sequential", true, nullptr, {} },
      { "clojure.lang.Reversible", true, nullptr, {} },
      { "clojure.lang.Sorted", true, nullptr, {} },
      { "clojure.lang.ILookup", true, nullptr, {} },
      { "clojure.lang.IDeref", true, nullptr, {} },
      { "clojure.lang.IPending", true, nullptr, {} },
      { "clojure.lang.IRef", true, nullptr, { "clojure.lang.IDeref" } },
      { "clojure.lang.IAtom", true, nullptr, {} },
      { "clojure.lang.IRecord", true, nullptr, {} },
      { "clojure.lang.IType", true, nullptr, {} },
      { "clojure.lang.IExceptionInfo", true, nullptr, {} },
      { "clojure.lang.IEditableCollection", true, nullptr, {} },
      { "clojure.lang.IPersistentCollection", true, nullptr, { "clojure.lang.Seqable" } },
      { "clojure.lang.Associative", true, nullptr, { "clojure.lang.IPersistentCollection", "clojure.lang.ILookup" } },
      { "clojure.lang.IPersistentStack", true, nullptr, { "clojure.lang.IPersistentCollection" } },
      { "clojure.lang.Indexed", true, nullptr, { "clojure.lang.Counted" } },
      { "clojure.lang.ISeq", true, "seq", { "clojure.lang.IPersistentCollection" } },
      { "clojure.lang.IPersistentList", true, "seq", { "clojure.lang.Sequential", "clojure.lang.IPersistentStack" } },
      { "clojure.lang.IPersistentVector", true, "vector",
        { "clojure.lang.Associative", "clojure.lang.Sequential", "clojure.lang.IPersistentStack", "clojure.lang.Reversible",
          "clojure.lang.Indexed" } },
      { "clojure.lang.IPersistentMap", true, "map", { "java.lang.Iterable", "clojure.lang.Associative", "clojure.lang.Counted" } },
      { "clojure.lang.IPersistentSet", true, "set", { "clojure.lang.IPersistentCollection", "clojure.lang.Counted" } },
      { "clojure.lang.IMapEntry", true, nullptr, { "java.util.Map$Entry" } },
      { "clojure.lang.IReduceInit", true, nullptr, {} },
      { "clojure.lang.IReduce", true, nullptr, { "clojure.lang.IReduceInit" } },
      { "clojure.lang.IChunkedSeq", true, "seq", { "clojure.lang.ISeq", "clojure.lang.Sequential" } },
      // Clojure's classes.
      { "clojure.lang.Keyword", false, "keyword", { "java.lang.Object", "clojure.lang.IFn", "clojure.lang.Named", "java.lang.Comparable" } },
      { "clojure.lang.AFn", false, nullptr, { "java.lang.Object", "clojure.lang.IFn" } },
      { "clojure.lang.AFunction", false, "fn", { "clojure.lang.AFn", "clojure.lang.IObj", "clojure.lang.Fn" } },
      { "clojure.lang.MultiFn", false, "fn", { "clojure.lang.AFn" } },
      { "clojure.lang.Symbol", false, "symbol", { "clojure.lang.AFn", "clojure.lang.IObj", "clojure.lang.Named", "java.lang.Comparable" } },
      { "clojure.lang.Obj", false, nullptr, { "java.lang.Object", "clojure.lang.IObj" } },
      { "clojure.lang.ASeq", false, "seq", { "clojure.lang.Obj", "clojure.lang.ISeq", "clojure.lang.Sequential", "java.util.List" } },
      { "clojure.lang.PersistentList", false, "seq", { "clojure.lang.ASeq", "clojure.lang.IPersistentList", "clojure.lang.Counted" } },
      { "clojure.lang.PersistentList$EmptyList", false, "seq",
        { "clojure.lang.Obj", "clojure.lang.IPersistentList", "clojure.lang.ISeq", "clojure.lang.Counted", "java.util.List" } },
      { "clojure.lang.Cons", false, "seq", { "clojure.lang.ASeq" } },
      { "clojure.lang.LazySeq", false, "seq",
        { "clojure.lang.Obj", "clojure.lang.ISeq", "clojure.lang.Sequential", "java.util.List", "clojure.lang.IPending" } },
      { "clojure.lang.APersistentVector", false, "vector",
        { "clojure.lang.AFn", "clojure.lang.IPersistentVector", "java.util.List", "java.util.RandomAccess", "java.lang.Comparable" } },
      { "clojure.lang.PersistentVector", false, "vector",
        { "clojure.lang.APersistentVector", "clojure.lang.IObj", "clojure.lang.IEditableCollection", "clojure.lang.IReduce" } },
      { "clojure.lang.PersistentVector$ChunkedSeq", false, "seq", { "clojure.lang.ASeq", "clojure.lang.Counted" } },
      { "clojure.lang.LongRange", false, "seq",
        { "clojure.lang.ASeq", "clojure.lang.Counted", "clojure.lang.IChunkedSeq", "clojure.lang.IReduce" } },
      { "clojure.lang.MapEntry", false, "vector", { "clojure.lang.APersistentVector", "clojure.lang.IMapEntry" } },
      { "clojure.lang.APersistentMap", false, "map", { "clojure.lang.AFn", "clojure.lang.IPersistentMap", "java.util.Map" } },
      { "clojure.lang.PersistentArrayMap", false, "map",
        { "clojure.lang.APersistentMap", "clojure.lang.IObj", "clojure.lang.IEditableCollection" } },
      { "clojure.lang.PersistentHashMap", false, "map",
        { "clojure.lang.APersistentMap", "clojure.lang.IObj", "clojure.lang.IEditableCollection" } },
      { "clojure.lang.PersistentTreeMap", false, "map",
        { "clojure.lang.APersistentMap", "clojure.lang.IObj", "clojure.lang.Reversible", "clojure.lang.Sorted" } },
      { "clojure.lang.APersistentSet", false, "set",
        { "clojure.lang.AFn", "clojure.lang.IPersistentSet", "java.util.Collection", "java.util.Set" } },
      { "clojure.lang.PersistentHashSet", false, "set",
        { "clojure.lang.APersistentSet", "clojure.lang.IObj", "clojure.lang.IEditableCollection" } },
      { "clojure.lang.PersistentTreeSet", false, "set",
        { "clojure.lang.APersistentSet", "clojure.lang.IObj", "clojure.lang.Reversible", "clojure.lang.Sorted" } },
      { "clojure.lang.PersistentQueue", false, "queue",
        { "clojure.lang.Obj", "clojure.lang.IPersistentList", "java.util.Collection", "clojure.lang.Counted" } },
      /* Its statics make vectors; no value is one. */
      { "clojure.lang.LazilyPersistentVector", false, nullptr, { "java.lang.Object" } },
      { "clojure.lang.Murmur3", false, nullptr, { "java.lang.Object" } },
      { "clojure.lang.ARef", false, nullptr, { "java.lang.Object", "clojure.lang.IRef" } },
      { "clojure.lang.Atom", false, "atom", { "clojure.lang.ARef", "clojure.lang.IAtom" } },
      { "clojure.lang.Ref", false, nullptr, { "clojure.lang.ARef" } },
      { "clojure.lang.Agent", false, nullptr, { "clojure.lang.ARef" } },
      { "clojure.lang.Var", false, "var", { "clojure.lang.ARef", "clojure.lang.IFn" } },
      { "clojure.lang.Volatile", false, "volatile", { "java.lang.Object", "clojure.lang.IDeref" } },
      { "clojure.lang.Delay", false, "delay", { "java.lang.Object", "clojure.lang.IDeref", "clojure.lang.IPending" } },
      { "clojure.lang.Reduced", false, nullptr, { "java.lang.Object", "clojure.lang.IDeref" } },
      { "clojure.lang.Namespace", false, "namespace", { "java.lang.Object" } },
      { "clojure.lang.ATransientMap", false, nullptr, { "clojure.lang.AFn" } },
      { "clojure.lang.PersistentVector$TransientVector", false, nullptr, { "clojure.lang.AFn", "clojure.lang.Counted" } },
      { "clojure.lang.PersistentHashSet$TransientHashSet", false, nullptr, { "clojure.lang.AFn", "clojure.lang.Counted" } },
      { "[Ljava.lang.Object;", false, nullptr, { "java.lang.Object" } },
      // Text buffers (polymorphism.cpp gives their instances toString and length).
      { "java.lang.StringBuilder", false, nullptr, { "java.lang.Object", "java.lang.CharSequence" } },
      { "java.lang.StringBuffer", false, nullptr, { "java.lang.Object", "java.lang.CharSequence" } },
      { "java.lang.Math", false, nullptr, { "java.lang.Object" } },
      { "java.lang.System", false, nullptr, { "java.lang.Object" } },
      { "java.io.StringWriter", false, nullptr, { "java.lang.Object" } },
      { "java.io.Reader", false, nullptr, { "java.lang.Object", "java.io.Closeable" } },
      { "java.io.StringReader", false, nullptr, { "java.io.Reader" } },
      { "java.io.BufferedReader", false, nullptr, { "java.io.Reader" } },
      { "java.io.PushbackReader", false, nullptr, { "java.io.Reader" } },
      { "clojure.lang.LineNumberingPushbackReader", false, nullptr, { "java.io.PushbackReader" } },
      // Files (io.cpp).
      { "java.io.File", false, nullptr, { "java.lang.Object", "java.lang.Comparable" } },
      { "java.util.Random", false, nullptr, { "java.lang.Object" } },
      { "java.lang.Thread", false, nullptr, { "java.lang.Object", "java.lang.Runnable" } },
      { "java.util.concurrent.CountDownLatch", false, nullptr, { "java.lang.Object" } },
      { "java.util.concurrent.FutureTask", false, nullptr, { "java.lang.Object", "java.lang.Runnable", "java.util.concurrent.Future" } },
      { "java.lang.ThreadLocal", false, nullptr, { "java.lang.Object" } },
      { "java.util.concurrent.atomic.AtomicLong", false, nullptr, { "java.lang.Number" } },
      { "java.util.concurrent.atomic.AtomicInteger", false, nullptr, { "java.lang.Number" } },
      { "java.util.concurrent.atomic.AtomicBoolean", false, nullptr, { "java.lang.Object" } },
      { "java.util.concurrent.atomic.AtomicReference", false, nullptr, { "java.lang.Object" } },
      { "java.lang.Runtime", false, nullptr, { "java.lang.Object" } },
      { "java.util.Base64$Encoder", false, nullptr, { "java.lang.Object" } },
      { "java.util.Base64$Decoder", false, nullptr, { "java.lang.Object" } },
      { "java.net.URI", false, nullptr, { "java.lang.Object", "java.lang.Comparable" } },
      { "java.net.URL", false, nullptr, { "java.lang.Object" } },
      { "java.util.Locale", false, nullptr, { "java.lang.Object" } },
      { "clojure.core.Eduction", false, nullptr,
        { "java.lang.Object", "java.lang.Iterable", "clojure.lang.IReduceInit", "clojure.lang.Sequential" } },
      { "java.io.BufferedWriter", false, nullptr, { "java.lang.Object", "java.io.Closeable" } },
      // Exceptions.
      { "java.lang.Throwable", false, nullptr, { "java.lang.Object" } },
      { "java.lang.Exception", false, nullptr, { "java.lang.Throwable" } },
      { "java.lang.Error", false, nullptr, { "java.lang.Throwable" } },
      { "java.lang.AssertionError", false, nullptr, { "java.lang.Error" } },
      { "java.lang.LinkageError", false, nullptr, { "java.lang.Error" } },
      { "java.lang.IncompatibleClassChangeError", false, nullptr, { "java.lang.LinkageError" } },
      { "java.lang.IllegalAccessError", false, nullptr, { "java.lang.IncompatibleClassChangeError" } },
      { "java.lang.VirtualMachineError", false, nullptr, { "java.lang.Error" } },
      { "java.lang.StackOverflowError", false, nullptr, { "java.lang.VirtualMachineError" } },
      { "java.lang.OutOfMemoryError", false, nullptr, { "java.lang.VirtualMachineError" } },
      { "java.lang.RuntimeException", false, nullptr, { "java.lang.Exception" } },
      { "java.io.IOException", false, nullptr, { "java.lang.Exception" } },
      { "java.io.FileNotFoundException", false, nullptr, { "java.io.IOException" } },
      { "java.io.EOFException", false, nullptr, { "java.io.IOException" } },
      { "java.lang.InterruptedException", false, nullptr, { "java.lang.Exception" } },
      { "java.lang.ClassNotFoundException", false, nullptr, { "java.lang.Exception" } },
      { "java.util.concurrent.TimeoutException", false, nullptr, { "java.lang.Exception" } },
      { "java.util.concurrent.ExecutionException", false, nullptr, { "java.lang.Exception" } },
      { "java.net.URISyntaxException", false, nullptr, { "java.lang.Exception" } },
      { "java.net.MalformedURLException", false, nullptr, { "java.io.IOException" } },
      { "java.lang.ArithmeticException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.IllegalArgumentException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.NumberFormatException", false, nullptr, { "java.lang.IllegalArgumentException" } },
      { "java.util.regex.PatternSyntaxException", false, nullptr, { "java.lang.IllegalArgumentException" } },
      { "clojure.lang.ArityException", false, nullptr, { "java.lang.IllegalArgumentException" } },
      { "java.lang.IllegalStateException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.IndexOutOfBoundsException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.StringIndexOutOfBoundsException", false, nullptr, { "java.lang.IndexOutOfBoundsException" } },
      { "java.lang.ArrayIndexOutOfBoundsException", false, nullptr, { "java.lang.IndexOutOfBoundsException" } },
      { "java.lang.NegativeArraySizeException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.ClassCastException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.NullPointerException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.lang.UnsupportedOperationException", false, nullptr, { "java.lang.RuntimeException" } },
      { "java.util.NoSuchElementException", false, nullptr, { "java.lang.RuntimeException" } },
      { "clojure.lang.ExceptionInfo", false, nullptr, { "java.lang.RuntimeException", "clojure.lang.IExceptionInfo" } },
    };

    struct class_table
    {
      std::unordered_map<std::string, record_type_obj *> by_name; /* full and simple names */
      std::unordered_map<record_type_obj const *, class_info const *> info;
    };

    class_table &table()
    {
      static class_table t = [] {
        class_table made;
        for(auto const &c : known_classes)
        {
          auto *t = new record_type_obj{ c.name, {} };
          gc::make_permanent(t);
          made.info.emplace(t, &c);
          made.by_name.emplace(c.name, t);
        }
        /* Simple names, the first class of each name winning (java.lang's). */
        for(auto const &c : known_classes)
        {
          std::string_view const full{ c.name };
          auto const dot = full.rfind('.');
          if(dot != std::string_view::npos)
          {
            made.by_name.try_emplace(std::string{ full.substr(dot + 1) }, made.by_name.at(c.name));
          }
        }
        return made;
      }();
      return t;
    }

    record_type_obj *known(char const *name)
    {
      return table().by_name.at(name);
    }

    /* The classes of named fns (clojure.core$inc), made on first use, once
     * each; each is an AFunction. */
    std::unordered_map<std::string, record_type_obj *> &fn_classes()
    {
      static std::unordered_map<std::string, record_type_obj *> made;
      return made;
    }

    record_type_obj *fn_class(fn_obj const *f)
    {
      auto const name = fn_class_name(f);
      if(name == "fn")
      {
        return known("clojure.lang.AFunction");
      }
      auto [at, fresh] = fn_classes().try_emplace(name, nullptr);
      if(fresh)
      {
        at->second = new record_type_obj{ name, {} };
        gc::make_permanent(at->second);
      }
      return at->second;
    }

    /* An array class by its JVM name: Object[] is in the table; the others
     * are made on first use, once each. */
    /* A JVM array class's name: "[I", "[Ljava.lang.Object;", "[[D". */
    bool is_array_class_name(std::string_view name)
    {
      if(!name.starts_with('['))
      {
        return false;
      }
      auto const element = name.substr(1);
      return (element.size() == 1 && std::string_view{ "ZBCSIJFD" }.find(element[0]) != std::string_view::npos)
        || (element.size() > 2 && element.starts_with('L') && element.ends_with(';')) || is_array_class_name(element);
    }

    record_type_obj *array_class(std::string const &name)
    {
      static std::unordered_map<std::string, record_type_obj *> made;
      if(auto found = table().by_name.find(name); found != table().by_name.end())
      {
        return found->second;
      }
      auto [at, fresh] = made.try_emplace(name, nullptr);
      if(fresh)
      {
        at->second = new record_type_obj{ name, {} };
        gc::make_permanent(at->second);
      }
      return at->second;
    }

    /* c's direct supertypes. A defrecord's, deftype's or reify's type is an
     * Object, and an instance of each of Clojure's interfaces whose method
     * it implements (type-method* gave it the slot). */
    std::vector<record_type_obj *> direct_supers(record_type_obj const *c)
    {
      auto const info = table().info.find(c);
      if(auto const fn = fn_classes().find(c->name); fn != fn_classes().end() && fn->second == c)
      {
        return { known("clojure.lang.AFunction") };
      }
      if(info == table().info.end())
      {
        std::vector<record_type_obj *> out{ known("java.lang.Object") };
        /* A reify carries metadata, as the JVM's does (with-meta works on it). */
        if(c->reified)
        {
          out.push_back(known("clojure.lang.IObj"));
        }
        std::pair<object *record_type_obj::*, char const *> const interfaces[] = {
          { &record_type_obj::deref_fn, "clojure.lang.IDeref" }, { &record_type_obj::invoke_fn, "clojure.lang.IFn" },
          { &record_type_obj::lookup_fn, "clojure.lang.ILookup" }, { &record_type_obj::count_fn, "clojure.lang.Counted" },
          { &record_type_obj::seq_fn, "clojure.lang.Seqable" }, { &record_type_obj::close_fn, "java.io.Closeable" },
          { &record_type_obj::compare_fn, "java.lang.Comparable" },
        };
        for(auto const &[slot, name] : interfaces)
        {
          if(c->*slot != nullptr)
          {
            out.push_back(known(name));
          }
        }
        /* An interface the table does not have is left out. */
        for(auto const &name : c->interfaces)
        {
          auto const found = table().by_name.find(name);
          if(found != table().by_name.end() && std::find(out.begin(), out.end(), found->second) == out.end())
          {
            out.push_back(found->second);
          }
        }
        return out;
      }
      std::vector<record_type_obj *> out;
      for(auto const *name : info->second->supers)
      {
        out.push_back(known(name));
      }
      return out;
    }

    /* The class of a built-in value, one per tag (maps and sets by layout). */
    record_type_obj *builtin_class(object *x)
    {
      switch(x->type)
      {
        case tag::boolean:
          return known("java.lang.Boolean");
        case tag::integer:
          return known("java.lang.Long");
        case tag::real:
          return known(static_cast<real_obj *>(x)->single ? "java.lang.Float" : "java.lang.Double");
        case tag::ratio:
          return known("clojure.lang.Ratio");
        case tag::big_decimal:
          return known("java.math.BigDecimal");
        case tag::big_integer:
          return known(static_cast<big_integer_obj *>(x)->java_biginteger ? "java.math.BigInteger" : "clojure.lang.BigInt");
        case tag::string:
          return known("java.lang.String");
        case tag::character:
          return known("java.lang.Character");
        case tag::keyword:
          return known("clojure.lang.Keyword");
        case tag::symbol:
          return known("clojure.lang.Symbol");
        case tag::vector:
          return known(static_cast<vector_obj *>(x)->map_entry ? "clojure.lang.MapEntry" : "clojure.lang.PersistentVector");
        case tag::vector_seq:
          return known("clojure.lang.PersistentVector$ChunkedSeq");
        case tag::long_range:
          return known("clojure.lang.LongRange");
        case tag::map:
          {
            auto const &entries = static_cast<map_obj *>(x)->entries;
            if(entries.is_sorted())
            {
              return known("clojure.lang.PersistentTreeMap");
            }
            return known(entries.is_hashed() ? "clojure.lang.PersistentHashMap" : "clojure.lang.PersistentArrayMap");
          }
        case tag::set:
          return known(static_cast<set_obj *>(x)->items.is_sorted() ? "clojure.lang.PersistentTreeSet"
                                                                    : "clojure.lang.PersistentHashSet");
        case tag::list:
          return known(static_cast<list_obj *>(x)->count == 0 ? "clojure.lang.PersistentList$EmptyList"
                                                              : "clojure.lang.PersistentList");
        case tag::lazy_seq:
          return known("clojure.lang.LazySeq");
        case tag::cons:
          return known("clojure.lang.Cons");
        case tag::fn:
          return fn_class(static_cast<fn_obj *>(x));
        case tag::multi_fn:
          return known("clojure.lang.MultiFn");
        case tag::protocol_fn:
          return known("clojure.lang.AFunction");
        case tag::var:
          return known("clojure.lang.Var");
        case tag::cell:
          switch(static_cast<cell_obj *>(x)->kind)
          {
            case reference::ref:
              return known("clojure.lang.Ref");
            case reference::agent:
              return known("clojure.lang.Agent");
            case reference::atom:
              return known(static_cast<cell_obj *>(x)->is_atom ? "clojure.lang.Atom" : "clojure.lang.Volatile");
          }
          return known("clojure.lang.Atom");
        case tag::delay:
          return known("clojure.lang.Delay");
        case tag::reduced:
          return known("clojure.lang.Reduced");
        case tag::ex_info:
          {
            auto const &java = static_cast<ex_info_obj *>(x)->java_class;
            auto *c = java.empty() ? nullptr : class_named(java);
            return c != nullptr ? c : known("java.lang.RuntimeException");
          }
        case tag::regex:
          return known("java.util.regex.Pattern");
        case tag::uuid:
          return known("java.util.UUID");
        case tag::inst:
          return known("java.util.Date");
        case tag::queue:
          return known("clojure.lang.PersistentQueue");
        case tag::ns:
          return known("clojure.lang.Namespace");
        case tag::record_type:
          return known("java.lang.Class");
        case tag::array:
          return array_class(array_class_name(static_cast<array_obj *>(x)));
        case tag::transient:
          {
            auto *coll = static_cast<transient_obj *>(x)->coll;
            if(coll != nullptr && coll->type == tag::vector)
            {
              return known("clojure.lang.PersistentVector$TransientVector");
            }
            if(coll != nullptr && coll->type == tag::set)
            {
              return known("clojure.lang.PersistentHashSet$TransientHashSet");
            }
            return known("clojure.lang.ATransientMap");
          }
        default:
          return known("java.lang.Object");
      }
    }

    object *class_p(int argc, args_t argv)
    {
      check_arity("class?", argc, 1, 1);
      return boolean(argv[0]->type == tag::record_type);
    }

    /* (class-named* "String"): what a class name evaluates to. */
    object *class_named_(int argc, args_t argv)
    {
      check_arity("class-named*", argc, 1, 1);
      auto const name = str(argv[0]);
      if(auto *c = class_named(name))
      {
        return c;
      }
      if(is_array_class_name(name))
      {
        return array_class(name);
      }
      fail("Unable to resolve classname: " + name + " (the page has no JVM classes)");
    }

    /* (Class/forName "java.lang.String"): the class of that full name. */
    object *for_name(int argc, args_t argv)
    {
      check_arity("Class/forName", argc, 1, 3);
      auto const name = str(argv[0]);
      auto *c = is_array_class_name(name) ? array_class(name) : class_named(name);
      if(c == nullptr || c->name != name)
      {
        throw_value(new ex_info_obj{ name, nil(), nil(), "java.lang.ClassNotFoundException" });
      }
      return c;
    }

    native_entry const class_statics[] = {
      { "forName", for_name },
    };

    /* (.getName c) and (.getSimpleName c). */
    object *class_name_(int argc, args_t argv)
    {
      check_arity("class-name*", argc, 1, 2);
      if(argv[0]->type == tag::ns)
      {
        return symbol("", static_cast<ns_obj *>(argv[0])->ns->name);
      }
      auto *c = as<record_type_obj>(argv[0], tag::record_type, "a class");
      bool const simple = argc == 2 && argv[1]->type != tag::nil && argv[1]->type != tag::boolean;
      std::string_view const name{ c->name };
      auto const cut = name.find_last_of(".$");
      return string(std::string{ simple && cut != std::string_view::npos ? name.substr(cut + 1) : name });
    }

    /* (supers c) and (bases c): every supertype, and the direct ones. */
    object *supers(int argc, args_t argv)
    {
      check_arity("supers", argc, 1, 1);
      return class_supers(as<record_type_obj>(argv[0], tag::record_type, "a class"));
    }

    object *bases(int argc, args_t argv)
    {
      check_arity("bases", argc, 1, 1);
      return class_bases(as<record_type_obj>(argv[0], tag::record_type, "a class"));
    }

    native_entry const class_fns[] = {
      { "class?", class_p },
      { "class-named*", class_named_ },
      { "class-name*", class_name_ },
      { "supers", supers },
      { "bases", bases },
    };
  }

  object *class_supers(record_type_obj const *c)
  {
    std::vector<object *> found;
    std::vector<record_type_obj const *> todo{ c };
    while(!todo.empty())
    {
      auto const *at = todo.back();
      todo.pop_back();
      for(auto *s : direct_supers(at))
      {
        if(std::find(found.begin(), found.end(), s) == found.end())
        {
          found.push_back(s);
          todo.push_back(s);
        }
      }
    }
    return found.empty() ? nil() : set_from(found);
  }

  object *class_bases(record_type_obj const *c)
  {
    auto const direct = direct_supers(c);
    return direct.empty() ? nil() : list_from(std::vector<object *>(direct.begin(), direct.end()));
  }

  record_type_obj *class_named(std::string_view name)
  {
    auto const &by_name = table().by_name;
    auto found = by_name.find(std::string{ name });
    return found == by_name.end() ? nullptr : found->second;
  }

  object *class_of(object *x)
  {
    switch(x->type)
    {
      case tag::nil:
        return nil();
      case tag::record:
        return static_cast<record_obj *>(x)->type;
      case tag::instance:
        return static_cast<instance_obj *>(x)->type;
      default:
        return builtin_class(x);
    }
  }

  std::string class_name_of(object *x)
  {
    auto *c = class_of(x);
    return c->type == tag::nil ? "nil" : static_cast<record_type_obj *>(c)->name;
  }

  bool is_builtin_class(object const *t)
  {
    return t->type == tag::record_type && table().info.contains(static_cast<record_type_obj const *>(t));
  }

  bool class_isa(record_type_obj const *child, record_type_obj const *parent)
  {
    if(child == parent)
    {
      return true;
    }
    auto const supers = direct_supers(child);
    return std::any_of(supers.begin(), supers.end(), [&](record_type_obj const *s) { return class_isa(s, parent); });
  }

  object *class_type_key(record_type_obj const *c)
  {
    auto const info = table().info.find(c);
    if(info == table().info.end() || info->second->type_key == nullptr)
    {
      return nullptr;
    }
    return keyword("", info->second->type_key);
  }

  record_type_obj *class_for_type_key(std::string_view key)
  {
    record_type_obj *interface = nullptr;
    for(auto const &c : known_classes)
    {
      if(c.type_key == nullptr || key != c.type_key)
      {
        continue;
      }
      if(!c.is_interface)
      {
        return known(c.name);
      }
      interface = interface == nullptr ? known(c.name) : interface;
    }
    return interface;
  }

  std::vector<record_type_obj *> java_lang_classes()
  {
    std::vector<record_type_obj *> found;
    for(auto const &c : known_classes)
    {
      std::string_view const name{ c.name };
      if(name.starts_with("java.lang.") && name.find('.', 10) == std::string_view::npos)
      {
        found.push_back(known(c.name));
      }
    }
    return found;
  }

  std::string class_to_string(record_type_obj const *c)
  {
    auto const info = table().info.find(c);
    bool const is_interface = info != table().info.end() && info->second->is_interface;
    /* A primitive class (Long/TYPE) is its bare name, as Class.toString gives it. */
    static constexpr std::string_view primitives[] = { "long", "int", "short", "byte", "double", "float", "boolean", "char" };
    if(std::find(std::begin(primitives), std::end(primitives), c->name) != std::end(primitives))
    {
      return c->name;
    }
    return (is_interface ? "interface " : "class ") + c->name;
  }

  void install_classes()
  {
    install_natives(class_fns);
    install_natives(class_statics, "Class");
  }
}
