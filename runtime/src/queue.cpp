// clojure.lang.PersistentQueue: a persistent FIFO queue. Clojure code reaches
// it as clojure.lang.PersistentQueue/EMPTY (a var of that name here) and uses
// it through conj, peek, pop, seq and count, as breadth-first searches do.
#include "queue.hpp"

#include "gc.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"

namespace jhr
{
  object *empty_queue()
  {
    static object *empty = [] {
      auto *q = new queue_obj{ nil(), nil(), 0 };
      gc::make_permanent(q);
      return q;
    }();
    return empty;
  }

  object *queue_conj(queue_obj *q, object *x)
  {
    if(q->front->type == tag::nil)
    {
      return new queue_obj{ list_from({ x }), q->rear, q->count + 1 };
    }
    auto *rear = q->rear->type == tag::nil ? vector_from({ x }) : conj(q->rear, x);
    return new queue_obj{ q->front, rear, q->count + 1 };
  }

  object *queue_peek(queue_obj const *q)
  {
    return first(q->front);
  }

  object *queue_pop(queue_obj *q)
  {
    if(q->count == 0)
    {
      return q;
    }
    auto *front = seq(rest(q->front));
    auto *rear = q->rear;
    if(front->type == tag::nil)
    {
      front = seq(rear);
      rear = nil();
    }
    return new queue_obj{ front, rear, q->count - 1 };
  }

  void install_queue()
  {
    bind_root(intern_var("clojure.lang.PersistentQueue", "EMPTY"), empty_queue());
  }
}
