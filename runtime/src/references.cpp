// java.lang.ref: SoftReference, WeakReference and ReferenceQueue, for code
// that caches with them (core.cache's SoftCache). The page's collector
// never clears one: a soft or weak reference holds its referent as a strong
// one does, as a JVM with memory to spare keeps softly reachable objects.
// What the program does itself is Java's: .clear empties a reference, and
// .enqueue clears it and puts it on its queue, where .poll finds it.
#include "references.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "object.hpp"

namespace jhr
{
  namespace
  {
    /* A reference's fields: its referent, its queue (or nil) and whether
     * it has been enqueued. A queue's one field: a list of its references. */
    enum field : size_t
    {
      referent = 0,
      queue = 1,
      enqueued = 2,
      queued = 0,
    };

    constexpr char const *reference_classes[] = {
      "java.lang.ref.SoftReference",
      "java.lang.ref.WeakReference",
      "java.lang.ref.PhantomReference",
    };

    instance_obj *instance_of(object *x, std::string_view name)
    {
      if(x == nullptr || x->type != tag::instance)
      {
        return nullptr;
      }
      auto *i = static_cast<instance_obj *>(x);
      return i->type->name == name ? i : nullptr;
    }

    instance_obj *as_reference(object *x)
    {
      for(auto const *name : reference_classes)
      {
        if(auto *r = instance_of(x, name))
        {
          return r;
        }
      }
      return nullptr;
    }

    instance_obj *as_queue(object *x)
    {
      return instance_of(x, "java.lang.ref.ReferenceQueue");
    }

    /* (reference-new* class referent) and (reference-new* class referent queue). */
    object *reference_new(int argc, args_t argv)
    {
      check_arity("Reference.", argc, 2, 3);
      auto const name = static_cast<string_obj *>(argv[0])->value;
      auto *queue_arg = argc == 3 ? argv[2] : nil();
      if(queue_arg != nil() && as_queue(queue_arg) == nullptr)
      {
        fail("Cannot cast " + class_name_of(queue_arg) + " to java.lang.ref.ReferenceQueue");
      }
      if(name == "java.lang.ref.PhantomReference")
      {
        /* A phantom reference's get is always null: it keeps nothing. */
        return new instance_obj{ class_named(name), { nil(), queue_arg, boolean(false) } };
      }
      return new instance_obj{ class_named(name), { argv[1], queue_arg, boolean(false) } };
    }

    object *reference_queue_new(int argc, args_t)
    {
      check_arity("ReferenceQueue.", argc, 0, 0);
      return new instance_obj{ class_named("java.lang.ref.ReferenceQueue"), { nil() } };
    }

    native_entry const reference_fns[] = {
      { "reference-new*", reference_new },
      { "reference-queue-new*", reference_queue_new },
    };

    /* Clears r and puts it on its queue, once: Java's enqueue. */
    bool enqueue(instance_obj *r)
    {
      r->values[referent] = nil();
      auto *q = as_queue(r->values[queue]);
      if(q == nullptr || truthy(r->values[enqueued]))
      {
        return false;
      }
      r->values[enqueued] = boolean(true);
      q->values[queued] = conj(q->values[queued], r);
      return true;
    }

    /* The reference enqueued last, taken off the queue (Java's queue is a
     * stack); nil when it is empty. */
    object *poll(instance_obj *q)
    {
      auto *items = q->values[queued];
      if(seq(items) == nil())
      {
        return nil();
      }
      auto *head = first(items);
      q->values[queued] = rest(items);
      return head;
    }
  }

  bool reference_method(std::string const &method, object *target, int argc, object **args, object **answer)
  {
    if(auto *r = as_reference(target))
    {
      if(method == "get" && argc == 0)
        *answer = r->values[referent];
      else if(method == "clear" && argc == 0)
        *answer = (r->values[referent] = nil());
      else if(method == "enqueue" && argc == 0)
        *answer = boolean(enqueue(r));
      else if(method == "isEnqueued" && argc == 0)
        *answer = r->values[enqueued];
      else if(method == "refersTo" && argc == 1)
        *answer = boolean(r->values[referent] == args[0]);
      else
        return false;
      return true;
    }
    if(auto *q = as_queue(target))
    {
      /* remove would wait for a reference the page's one thread could
       * never enqueue meanwhile: it answers as poll does. */
      if((method == "poll" && argc == 0) || (method == "remove" && argc <= 1))
        *answer = poll(q);
      else
        return false;
      return true;
    }
    return false;
  }

  void install_references()
  {
    install_natives(reference_fns);
  }
}
