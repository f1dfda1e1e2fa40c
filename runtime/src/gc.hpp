// The garbage collector: mark and sweep, at quiescent points and at the
// safepoints of a long call.
//
// Every object made with `new` is registered here. Most collections run when
// no wasm frame is live (the host calls jank_gc_collect or jank_gc_maybe
// between calls from JavaScript, such as after a frame or a patch load), so C++
// locals and patch temporaries need not be roots. The roots are the
// namespaces and their vars, dynamic bindings, interned keywords, objects
// JavaScript retains (jank_gc_retain), and the slots patches register for their
// constants (jank_gc_add_root). Metadata in the side table lives as long as the
// object it annotates.
//
// Inside a call, a collection runs at a safepoint (gc::safepoint) only when no
// opaque frame is live (calls::opaque_frames): every frame is then a safe
// patch's, which keeps its values in the shadow stack, or a native's that
// keeps its own in scoped_roots. The shadow stack's words that are objects'
// addresses are roots too.
#pragma once

#include "object.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace jhr::gc
{
  /* Keeps o alive forever (interned keywords). */
  void make_permanent(object *o);

  /* JavaScript handles: retained objects are roots until released as often. */
  void retain(object *o);
  void release(object *o);

  /* A patch's constant slot: whatever it holds at each collection is a root. */
  void add_root(object **slot);

  /* Collects now. Only at a quiescent point. Returns the objects freed. */
  size_t collect();
  /* Collects if enough was allocated since the last collection. */
  bool maybe_collect();
  /* The same, inside a call, from a safepoint (abi.cpp) where the only
   * frames are ones whose objects sit in the shadow stack between low and
   * high: every word there that is an object's address is a root too. */
  bool maybe_collect_in_call(void const *low, void const *high);
  /* For tests: collect at every `every`th in-call chance, due or not (0:
   * only when due). */
  void set_stress(unsigned every);

  /* A chance to collect inside a call, for a safe patch's helpers and for a
   * native that a safe patch called directly (reduce): only when no opaque
   * frame is live (calls::opaque_frames), with the shadow stack as roots. A
   * native that calls it keeps its own objects in scoped_roots. It costs a
   * load and a branch until a collection is due: the allocator sets
   * collection_wanted (so does stress). */
  extern bool collection_wanted;
  void safepoint_slow();
  inline void safepoint()
  {
    if(collection_wanted)
    {
      safepoint_slow();
    }
  }

  /* For a native that a safe patch called directly: coll's items, as
   * to_items gives them, with a safepoint between the cells of a lazy seq
   * or cons (the work of realizing it, a map or keep fn's garbage, is
   * collected as it goes). coll stays rooted here, and the caller holds it,
   * so the items, which its realized cells keep, stay too. */
  std::vector<object *> items_collecting(object *coll);
  /* The same walk, counting only. */
  size_t count_collecting(object *coll);

  /* A native's locals as roots while it runs a loop with a safepoint: each
   * slot is read at every collection until the scope ends. */
  class scoped_roots
  {
  public:
    scoped_roots(std::initializer_list<object **> slots);
    ~scoped_roots();
    scoped_roots(scoped_roots const &) = delete;
    scoped_roots &operator=(scoped_roots const &) = delete;

  private:
    size_t count_;
  };
  /* Gives back the memory held for the collector (it takes it again at
   * its next collection): for reporting a call that ran out of memory,
   * whose report needs a little memory too. */
  void release_reserve();

  struct stats
  {
    uint64_t collections;
    uint64_t live_objects; /* after the last collection, plus new since */
    uint64_t live_bytes;
    uint64_t allocated_objects; /* since start */
    uint64_t allocated_bytes; /* since start, object headers only */
    uint64_t freed_objects; /* since start */
    double last_pause_ms;
    double pause_p50_ms; /* over the last 1024 collections */
    double pause_p99_ms;
    double pause_max_ms;
  };
  stats current_stats();
  std::string stats_json();

  /* Hooks for the parts of the runtime that hold objects outside the graph. */
  using mark_fn = void (*)(object *);
  /* Marks the value of every metadata entry whose key is marked; true if any
   * was newly marked (the collector repeats until nothing changes). */
  bool mark_metadata(mark_fn mark, bool (*is_marked)(object const *));
  /* Drops metadata entries whose key is about to be freed. */
  void sweep_metadata(bool (*is_marked)(object const *));
  void mark_namespaces(mark_fn mark);
  /* Drops interned names whose string is about to be freed (core.cpp). */
  void sweep_interned_names(bool (*is_marked)(object const *));
}
