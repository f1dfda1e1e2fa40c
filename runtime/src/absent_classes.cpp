// JVM classes the page does not have (java.time.Instant, java.sql.Date), as
// a library that names them in a branch the page never takes needs them:
// JVM Clojure finds a class when the code loads, and most of a library
// works without the classes it names for one feature (clojure.data.json
// writes dates with java.time). So, for a class of java.* or javax.* that
// the compiler does not know:
// - the class as a value is a class of that name with no instances, which
//   extend, instance? and class comparisons accept;
// - a static field is an opaque object of that class, the same one each
//   time, on which any method fails as a missing method does;
// - a static method fails when it is called, with a message naming it.
#include "absent_classes.hpp"

#include "classes.hpp"
#include "gc.hpp"
#include "native.hpp"
#include "object.hpp"

#include <map>
#include <string>

namespace jhr
{
  namespace
  {
    /* (host-class* "java.time.Instant"): the runtime's class of that name,
     * or one made for it, once. */
    record_type_obj *absent_class(std::string const &name)
    {
      if(auto *known = class_named(name))
      {
        return known;
      }
      static std::map<std::string, record_type_obj *> made;
      auto &slot = made[name];
      if(slot == nullptr)
      {
        slot = new record_type_obj{ name, {} };
        gc::make_permanent(slot);
      }
      return slot;
    }

    object *host_class(int argc, args_t argv)
    {
      check_arity("host-class*", argc, 1, 1);
      return absent_class(as<string_obj>(argv[0], tag::string, "a class name")->value);
    }

    /* (host-field* "java.time.format.DateTimeFormatter" "ISO_INSTANT"). */
    object *host_field(int argc, args_t argv)
    {
      check_arity("host-field*", argc, 2, 2);
      auto const &cls = as<string_obj>(argv[0], tag::string, "a class name")->value;
      auto const &field = as<string_obj>(argv[1], tag::string, "a field name")->value;
      static std::map<std::string, object *> fields;
      auto &slot = fields[cls + "/" + field];
      if(slot == nullptr)
      {
        slot = new instance_obj{ absent_class(cls), { string(cls + "/" + field) } };
        gc::make_permanent(slot);
      }
      return slot;
    }

    /* (host-static-call* "java.time.ZoneId" "systemDefault" args...). */
    object *host_static_call(int argc, args_t argv)
    {
      check_arity("host-static-call*", argc, 2, -1);
      auto const &cls = as<string_obj>(argv[0], tag::string, "a class name")->value;
      auto const &method = as<string_obj>(argv[1], tag::string, "a method name")->value;
      fail("No class " + cls + " in the page: " + cls + "/" + method
           + " is JVM interop that the reference runtime does not have");
    }

    native_entry const absent_class_fns[] = {
      { "host-class*", host_class },
      { "host-field*", host_field },
      { "host-static-call*", host_static_call },
    };
  }

  void install_absent_classes()
  {
    install_natives(absent_class_fns);
  }
}
