#include "gc.hpp"

#include "invoke.hpp"
#include "numbers.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <unordered_map>
#include <vector>

#ifdef __EMSCRIPTEN__
  #include <emscripten/stack.h>
#endif

namespace jhr
{
  namespace
  {
    struct heap_state
    {
      std::vector<object *> objects; /* every live heap object, in no order */
      uint64_t bytes{};
      uint64_t allocated_since_collection{};
      uint64_t bytes_since_collection{}; /* objects' own sizes, as bytes counts them */
      uint64_t bytes_after_collection{};
      /* bytes_since_collection past this: a collection inside a call is due. */
      uint64_t in_call_threshold{ 32ull << 20 };
      uint64_t live_after_collection{};
      uint64_t allocated_total{};
      uint64_t allocated_bytes_total{};
      uint64_t freed_total{};
      uint64_t collections{};
      std::vector<object *> permanent;
      std::unordered_map<object *, size_t> retained;
      std::vector<object **> root_slots;
      std::vector<object **> scoped_slots; /* gc::scoped_roots, innermost last */
      std::vector<double> pauses_ms; /* a ring of the last pause_window pauses */
      double last_pause_ms{};
      bool collecting{};
      bool sweeping{};
    };

    constexpr size_t pause_window = 1024;
    /* Collect once this many objects were made since the last collection, or as
     * many as were live after it, whichever is more: the heap stays within about
     * twice the live data, and a pause sweeps a bounded number of objects. */
    constexpr uint64_t min_allocations_between_collections = 8000;
    /* Inside a call, by bytes: 32 MiB of objects made, or twice the bytes
     * that were live. A call that makes less never collects before it
     * returns (the quiescent collection after it frees its garbage, as
     * before), and a long call collects rarely, each time marking all it
     * keeps: collecting after every 80,000 objects made reduce over a range
     * 2.2 times slower. The aim inside a call is a heap that stays
     * bounded, not a small one. */
    constexpr uint64_t min_bytes_between_collections_in_call = 32ull << 20;

    heap_state &heap()
    {
      static auto *state = new heap_state{};
      return *state;
    }

    /* Small objects come from free lists, one per size in steps of 8 bytes,
     * refilled a block at a time: most objects are a boxed number, a cons or
     * a small collection, made and dropped by the million, and malloc and free
     * were 40% of a loop's time. Each block keeps its own free list and a
     * count of the objects it has out.
     *
     * Blocks are aligned to their size, so an object's block is its address
     * rounded down. They are carved from slabs of 32, because malloc's own
     * aligned allocation left nearly a block's worth of unusable space before
     * each block it gave: a runaway eval's heap was 2.5 times its objects.
     * Past the first few, a block a sweep empties goes to the spare blocks,
     * which every size takes from, so memory an eval filled with one size of
     * object serves every size afterwards; a slab whose blocks are all spare
     * goes back to malloc (past the first few), so it serves larger objects
     * too. The size on release is the size on allocation: the sweep deletes
     * each object as its own type. */
    class small_object_pool
    {
    public:
      static constexpr size_t granule = 8;
      static constexpr size_t largest = 128;

      static bool fits(size_t size)
      {
        return size <= largest;
      }

      void *take(size_t size)
      {
        auto const cls = size_class(size);
        auto *b = open_[cls];
        if(b == nullptr)
        {
          b = new_block(cls);
        }
        void *p;
        if(b->free != nullptr)
        {
          p = b->free;
          b->free = b->free->next;
        }
        else
        {
          /* A block's never-used part is taken in order, not threaded. */
          p = reinterpret_cast<char *>(b) + b->bump;
          b->bump += cls * granule;
        }
        ++b->live;
        if(b->free == nullptr && b->bump + cls * granule > block_bytes)
        {
          unlink(b);
        }
        return p;
      }

      void give(void *p)
      {
        auto *b = block_of(p);
        b->free = ::new(p) free_node{ b->free };
        --b->live;
        if(!b->listed)
        {
          link(b);
        }
      }

      /* After a sweep, when most of what it freed sits in empty blocks: the
       * first few empty blocks stay with their sizes, to be reused as they
       * are, the rest become spare, and slabs all of whose blocks are spare
       * go back to malloc, past the first few. */
      void release_empty_blocks()
      {
        size_t kept = 0;
        for(auto *&head : open_)
        {
          for(auto *b = head; b != nullptr;)
          {
            auto *next = b->next;
            if(b->live == 0 && ++kept > kept_empty_blocks)
            {
              unlink(b);
              make_spare(b);
            }
            b = next;
          }
        }
        for(size_t i = 0; i < slabs_.size() && spare_count_ >= kept_spare_blocks + blocks_per_slab;)
        {
          auto *s = slabs_[i];
          if(s->spare != blocks_per_slab)
          {
            ++i;
            continue;
          }
          for(size_t k = 0; k < blocks_per_slab; ++k)
          {
            unlink_spare(block_at(s, k));
          }
          ::operator delete(s->memory);
          delete s;
          slabs_[i] = slabs_.back();
          slabs_.pop_back();
        }
      }

    private:
      struct free_node
      {
        free_node *next;
      };

      struct slab
      {
        char *memory; /* from malloc; its blocks start at the first aligned address */
        size_t spare; /* how many of its blocks are spare */
      };

      /* The room a block's header takes; objects come after it. */
      static constexpr size_t header_bytes = 64;

      /* At the start of each block. A block in use is on its size's open
       * list while it has room; a spare one is on the spare list. */
      struct block
      {
        block *prev{}, *next{};
        free_node *free{};
        size_t bump{ header_bytes }; /* where the never-used part starts */
        size_t live{};
        size_t cls{};
        bool listed{};
        slab *owner{};
      };

      static constexpr size_t block_bytes = 32 * 1024;
      static constexpr size_t blocks_per_slab = 32;
      /* 64 MiB: a busy eval's worth of churn, reused as it is, in place or
       * as spare blocks. */
      static constexpr size_t kept_empty_blocks = 2048;
      static constexpr size_t kept_spare_blocks = 2048;

      static size_t size_class(size_t size)
      {
        return (std::max(size, sizeof(free_node)) + granule - 1) / granule;
      }

      static block *block_of(void *p)
      {
        return reinterpret_cast<block *>(reinterpret_cast<uintptr_t>(p) & ~(block_bytes - 1));
      }

      static block *block_at(slab *s, size_t k)
      {
        auto const first = (reinterpret_cast<uintptr_t>(s->memory) + block_bytes - 1) & ~(block_bytes - 1);
        return reinterpret_cast<block *>(first + k * block_bytes);
      }

      /* Blocks with free objects are on their size's open list. */
      void link(block *b)
      {
        b->prev = nullptr;
        b->next = open_[b->cls];
        if(b->next != nullptr)
        {
          b->next->prev = b;
        }
        open_[b->cls] = b;
        b->listed = true;
      }

      void unlink(block *b)
      {
        (b->prev != nullptr ? b->prev->next : open_[b->cls]) = b->next;
        if(b->next != nullptr)
        {
          b->next->prev = b->prev;
        }
        b->prev = b->next = nullptr;
        b->listed = false;
      }

      void make_spare(block *b)
      {
        b->prev = nullptr;
        b->next = spare_;
        if(spare_ != nullptr)
        {
          spare_->prev = b;
        }
        spare_ = b;
        ++b->owner->spare;
        ++spare_count_;
      }

      void unlink_spare(block *b)
      {
        (b->prev != nullptr ? b->prev->next : spare_) = b->next;
        if(b->next != nullptr)
        {
          b->next->prev = b->prev;
        }
        --b->owner->spare;
        --spare_count_;
      }

      void add_slab()
      {
        /* One block more than the slab holds leaves room to align the first. */
        auto *s = new slab{ static_cast<char *>(::operator new(block_bytes * (blocks_per_slab + 1))), 0 };
        slabs_.push_back(s);
        for(size_t k = 0; k < blocks_per_slab; ++k)
        {
          auto *b = ::new(block_at(s, k)) block{};
          b->owner = s;
          make_spare(b);
        }
      }

      block *new_block(size_t cls)
      {
        static_assert(sizeof(block) <= header_bytes);
        if(spare_ == nullptr)
        {
          add_slab();
        }
        auto *b = spare_;
        unlink_spare(b);
        auto *owner = b->owner;
        ::new(b) block{};
        b->owner = owner;
        b->cls = cls;
        link(b);
        return b;
      }

      block *open_[largest / granule + 1]{};
      block *spare_{};
      size_t spare_count_{};
      std::vector<slab *> slabs_;
    };

    small_object_pool &pool()
    {
      static auto *p = new small_object_pool{};
      return *p;
    }

    std::vector<object *> &mark_stack()
    {
      static std::vector<object *> stack;
      return stack;
    }

    void mark(object *o)
    {
      if(o != nullptr && !o->marked)
      {
        o->marked = true;
        mark_stack().push_back(o);
      }
    }

    bool is_marked(object const *o)
    {
      return o->marked;
    }

    void mark_pairs(std::vector<std::pair<object *, object *>> const &pairs)
    {
      for(auto const &[k, v] : pairs)
      {
        mark(k);
        mark(v);
      }
    }

    /* A table's trie is one object (shared by many versions, marked once);
     * while small, its entries are marked here. */
    void trace_table(entry_table const &table)
    {
      mark(table.comparator());
      if(auto *root = table.root())
      {
        mark(root);
        return;
      }
      table.for_each([](object *k, object *v) {
        mark(k);
        mark(v);
      });
    }

    /* Marks what o refers to. Every tag with children is listed here. */
    void trace(object *o)
    {
      switch(o->type)
      {
        case tag::list:
          {
            /* The rest first, so the first is traced (and popped) first: a
             * long list of numbers needs a mark stack of a few entries, not
             * one per cell. */
            auto *l = static_cast<list_obj *>(o);
            mark(const_cast<list_obj *>(l->rest));
            mark(l->first);
            break;
          }
        case tag::vector:
          {
            static_cast<vector_obj *>(o)->items.for_each([](object *x) { mark(x); });
            break;
          }
        case tag::vector_seq:
          mark(const_cast<vector_obj *>(static_cast<vector_seq_obj *>(o)->vec));
          break;
        case tag::env:
          {
            auto *e = static_cast<env_obj *>(o);
            for(uint32_t i = 0; i < e->count; ++i)
            {
              mark(e->slots[i]);
            }
            break;
          }
        case tag::map:
          trace_table(static_cast<map_obj *>(o)->entries);
          break;
        case tag::set:
          trace_table(static_cast<set_obj *>(o)->items);
          break;
        case tag::trie_node:
          trace_trie_node(o, mark);
          break;
        case tag::tree_node:
          trace_tree_node(o, mark);
          break;
        case tag::fn:
          {
            auto *f = static_cast<fn_obj *>(o);
            mark(f->closure_env);
            mark(static_cast<object *>(f->env));
            break;
          }
        case tag::var:
          mark(static_cast<var_obj *>(o)->root);
          mark_pairs(static_cast<var_obj *>(o)->watches);
          break;
        case tag::reduced:
          mark(static_cast<reduced_obj *>(o)->value);
          break;
        case tag::lazy_seq:
          {
            auto *l = static_cast<lazy_seq_obj *>(o);
            mark(l->thunk);
            mark(l->step_env);
            mark(l->realized);
            break;
          }
        case tag::cons:
          {
            /* As a list's cell: the rest first, so the stack stays short. */
            auto *c = static_cast<cons_obj *>(o);
            mark(c->rest);
            mark(c->first);
            break;
          }
        case tag::cell:
          {
            auto *c = static_cast<cell_obj *>(o);
            mark(c->value);
            mark(c->validator);
            mark(c->agent_error);
            mark(c->error_handler);
            mark_pairs(c->watches);
            break;
          }
        case tag::delay:
          {
            auto *d = static_cast<delay_obj *>(o);
            mark(d->thunk);
            mark(d->value);
            mark(d->error);
            break;
          }
        case tag::transient:
          mark(static_cast<transient_obj *>(o)->coll);
          break;
        case tag::array:
          for(auto *x : static_cast<array_obj *>(o)->items)
          {
            mark(x);
          }
          break;
        case tag::ex_info:
          {
            auto *e = static_cast<ex_info_obj *>(o);
            mark(e->data);
            mark(e->cause);
            break;
          }
        case tag::multi_fn:
          {
            auto *m = static_cast<multi_fn_obj *>(o);
            mark(m->dispatch);
            mark(m->default_value);
            mark_pairs(m->methods);
            mark_pairs(m->prefers);
            mark(m->hierarchy);
            break;
          }
        case tag::protocol:
          for(auto *f : static_cast<protocol_obj *>(o)->methods)
          {
            mark(f);
          }
          for(auto *t : static_cast<protocol_obj *>(o)->implemented_inline)
          {
            mark(t);
          }
          break;
        case tag::protocol_fn:
          mark_pairs(static_cast<protocol_fn_obj *>(o)->impls);
          break;
        case tag::record_type:
          for(auto *f : static_cast<record_type_obj *>(o)->fields)
          {
            mark(f);
          }
          {
            auto *t = static_cast<record_type_obj *>(o);
            for(auto *f : { t->to_string, t->deref_fn, t->invoke_fn, t->lookup_fn, t->count_fn, t->seq_fn, t->close_fn, t->equals_fn,
                            t->hash_fn, t->compare_fn, t->persistent_view, t->print_fn })
            {
              mark(f);
            }
            for(auto const &[name, f] : t->methods)
            {
              mark(f);
            }
            for(auto *p : t->inline_protocols)
            {
              mark(p);
            }
            break;
          }
        case tag::record:
          {
            auto *r = static_cast<record_obj *>(o);
            mark(r->type);
            mark(r->fields);
            break;
          }
        case tag::instance:
          {
            auto *i = static_cast<instance_obj *>(o);
            mark(i->type);
            for(auto *v : i->values)
            {
              mark(v);
            }
            break;
          }
        case tag::nil:
        case tag::boolean:
        case tag::integer:
        case tag::real:
        case tag::ratio:
        case tag::big_integer:
        case tag::big_decimal:
        case tag::string:
        case tag::character:
        case tag::regex:
        case tag::uuid:
        case tag::inst:
        case tag::long_range:
        case tag::ns: /* its vars are roots of their own */
          break;
        case tag::keyword:
          mark(static_cast<keyword_obj *>(o)->name_text);
          break;
        case tag::symbol:
          mark(static_cast<symbol_obj *>(o)->name_text);
          break;
        case tag::queue:
          {
            auto *q = static_cast<queue_obj *>(o);
            mark(q->front);
            mark(q->rear);
            break;
          }
      }
    }

    void drain()
    {
      auto &stack = mark_stack();
      while(!stack.empty())
      {
        auto *o = stack.back();
        stack.pop_back();
        trace(o);
      }
    }

    /* Runs the destructor of o's concrete type, then frees it. */
    void destroy(object *o)
    {
      switch(o->type)
      {
        case tag::nil:
          delete o;
          break;
        case tag::boolean:
          delete static_cast<boolean_obj *>(o);
          break;
        case tag::integer:
          delete static_cast<integer_obj *>(o);
          break;
        case tag::real:
          delete static_cast<real_obj *>(o);
          break;
        case tag::ratio:
          delete static_cast<ratio_obj *>(o);
          break;
        case tag::big_integer:
          delete static_cast<big_integer_obj *>(o);
          break;
        case tag::big_decimal:
          delete static_cast<big_decimal_obj *>(o);
          break;
        case tag::reduced:
          delete static_cast<reduced_obj *>(o);
          break;
        case tag::trie_node:
          /* Trivially destructible, with its arrays after it. */
          object::operator delete(o, trie_node_size(o));
          break;
        case tag::tree_node:
          destroy_tree_node(o);
          break;
        case tag::string:
          delete static_cast<string_obj *>(o);
          break;
        case tag::character:
          delete static_cast<char_obj *>(o);
          break;
        case tag::keyword:
          delete static_cast<keyword_obj *>(o);
          break;
        case tag::symbol:
          delete static_cast<symbol_obj *>(o);
          break;
        case tag::list:
          delete static_cast<list_obj *>(o);
          break;
        case tag::vector_seq:
          delete static_cast<vector_seq_obj *>(o);
          break;
        case tag::vector:
          delete static_cast<vector_obj *>(o);
          break;
        case tag::map:
          delete static_cast<map_obj *>(o);
          break;
        case tag::set:
          delete static_cast<set_obj *>(o);
          break;
        case tag::fn:
          delete static_cast<fn_obj *>(o);
          break;
        case tag::var:
          delete static_cast<var_obj *>(o);
          break;
        case tag::lazy_seq:
          delete static_cast<lazy_seq_obj *>(o);
          break;
        case tag::cons:
          delete static_cast<cons_obj *>(o);
          break;
        case tag::cell:
          delete static_cast<cell_obj *>(o);
          break;
        case tag::delay:
          delete static_cast<delay_obj *>(o);
          break;
        case tag::ex_info:
          delete static_cast<ex_info_obj *>(o);
          break;
        case tag::regex:
          delete static_cast<regex_obj *>(o);
          break;
        case tag::ns:
          delete static_cast<ns_obj *>(o);
          break;
        case tag::queue:
          delete static_cast<queue_obj *>(o);
          break;
        case tag::multi_fn:
          delete static_cast<multi_fn_obj *>(o);
          break;
        case tag::protocol:
          delete static_cast<protocol_obj *>(o);
          break;
        case tag::protocol_fn:
          delete static_cast<protocol_fn_obj *>(o);
          break;
        case tag::record_type:
          delete static_cast<record_type_obj *>(o);
          break;
        case tag::record:
          delete static_cast<record_obj *>(o);
          break;
        case tag::instance:
          delete static_cast<instance_obj *>(o);
          break;
        case tag::uuid:
          delete static_cast<uuid_obj *>(o);
          break;
        case tag::long_range:
          delete static_cast<long_range_obj *>(o);
          break;
        case tag::env:
          delete static_cast<env_obj *>(o);
          break;
        case tag::inst:
          delete static_cast<inst_obj *>(o);
          break;
        case tag::transient:
          delete static_cast<transient_obj *>(o);
          break;
        case tag::array:
          delete static_cast<array_obj *>(o);
          break;
      }
    }

    void mark_roots()
    {
      auto &h = heap();
      for(auto *o : h.permanent)
      {
        mark(o);
      }
      for(auto const &[o, count] : h.retained)
      {
        mark(o);
      }
      for(auto **slot : h.root_slots)
      {
        mark(*slot);
      }
      for(auto **slot : h.scoped_slots)
      {
        mark(*slot);
      }
      gc::mark_namespaces(mark);
      drain();
      /* Metadata is reachable through its object: repeat until stable. */
      while(gc::mark_metadata(mark, is_marked))
      {
        drain();
      }
    }

    size_t sweep()
    {
      auto &h = heap();
      gc::sweep_metadata(is_marked);
      gc::sweep_interned_names(is_marked);
      size_t freed = 0;
      auto kept = h.objects.begin();
      h.sweeping = true;
      for(auto *o : h.objects)
      {
        if(o->marked)
        {
          o->marked = false;
          *kept++ = o;
        }
        else
        {
          destroy(o);
          ++freed;
        }
      }
      h.sweeping = false;
      h.objects.erase(kept, h.objects.end());
      pool().release_empty_blocks();
      return freed;
    }

    double percentile(std::vector<double> values, double p)
    {
      if(values.empty())
      {
        return 0;
      }
      std::sort(values.begin(), values.end());
      auto const index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
      return values[std::min(index, values.size() - 1)];
    }
  }

  void *object::operator new(size_t size)
  {
    void *p = small_object_pool::fits(size) ? pool().take(size) : ::operator new(size);
    auto &h = heap();
    h.objects.push_back(static_cast<object *>(p));
    h.bytes += size;
    h.bytes_since_collection += size;
    if(h.bytes_since_collection >= h.in_call_threshold)
    {
      gc::collection_wanted = true;
    }
    h.allocated_bytes_total += size;
    ++h.allocated_since_collection;
    ++h.allocated_total;
    return p;
  }

  void object::operator delete(void *p, size_t size)
  {
    auto &h = heap();
    h.bytes -= size;
    /* Outside a sweep, this is a constructor that threw (an invalid regex):
     * the object was registered by operator new and must not be swept again.
     * It is among the newest, so the search from the back is short. */
    if(!h.sweeping)
    {
      auto const found = std::find(h.objects.rbegin(), h.objects.rend(), p);
      if(found != h.objects.rend())
      {
        h.objects.erase(std::next(found).base());
      }
    }
    if(small_object_pool::fits(size))
    {
      pool().give(p);
    }
    else
    {
      ::operator delete(p);
    }
  }

  namespace gc
  {
    void make_permanent(object *o)
    {
      heap().permanent.push_back(o);
    }

    void retain(object *o)
    {
      if(o != nullptr)
      {
        ++heap().retained[o];
      }
    }

    void release(object *o)
    {
      auto &retained = heap().retained;
      auto const found = retained.find(o);
      if(found != retained.end() && --found->second == 0)
      {
        retained.erase(found);
      }
    }

    void add_root(object **slot)
    {
      if(slot != nullptr)
      {
        heap().root_slots.push_back(slot);
      }
    }

    /* Memory held back for the collector itself. A call that ran out of
     * memory leaves the heap full of its garbage, and marking may still
     * need to grow its stack: the collection after it frees this first. */
    constexpr size_t reserve_bytes = 2 * 1024 * 1024;

    void *&reserve()
    {
      static void *block = nullptr;
      return block;
    }

    void release_reserve()
    {
      std::free(reserve());
      reserve() = nullptr;
    }

    void acquire_reserve()
    {
      if(reserve() == nullptr)
      {
        reserve() = std::malloc(reserve_bytes);
      }
    }

    /* After a mark that failed part way: an object left marked would keep
     * the next mark from tracing through it. */
    void clear_marks()
    {
      auto &h = heap();
      for(auto *o : h.objects)
      {
        o->marked = false;
      }
      mark_stack().clear();
    }

  }

  namespace
  {
    /* Marks every object whose address a word in [low, high) holds: the
     * shadow-stack frames of a call in progress. A word that only looks like
     * an address keeps that object one collection longer, no more. */
    void mark_words(void const *low, void const *high)
    {
      /* The stack holds a few hundred words; the heap, many thousands of
       * objects. So the words are sorted, and each object looked up among
       * them once: no reordering of the heap's list, no sort of it. */
      std::vector<uintptr_t> words;
      auto const first = (reinterpret_cast<uintptr_t>(low) + 3) & ~uintptr_t{ 3 };
      for(auto at = first; at + sizeof(uint32_t) <= reinterpret_cast<uintptr_t>(high); at += sizeof(uint32_t))
      {
        auto const word = *reinterpret_cast<uint32_t const *>(at);
        if(word != 0 && (word & 3) == 0)
        {
          words.push_back(word);
        }
      }
      std::sort(words.begin(), words.end());
      words.erase(std::unique(words.begin(), words.end()), words.end());
      if(words.empty())
      {
        return;
      }
      for(auto *o : heap().objects)
      {
        auto const address = reinterpret_cast<uintptr_t>(o);
        if(address >= words.front() && address <= words.back()
           && std::binary_search(words.begin(), words.end(), address))
        {
          mark(o);
        }
      }
    }

    unsigned stress_every = 0;
    unsigned stress_countdown = 0;

    size_t collect_with_stack(void const *low, void const *high)
    {
      auto &h = heap();
      if(h.collecting)
      {
        return 0;
      }
      h.collecting = true;
      auto const start = std::chrono::steady_clock::now();
      gc::release_reserve();
      try
      {
        if(low != nullptr)
        {
          mark_words(low, high);
        }
        mark_roots();
      }
      catch(...)
      {
        gc::clear_marks();
        h.collecting = false;
        gc::acquire_reserve();
        throw;
      }
      auto const freed = sweep();
      gc::acquire_reserve();
      auto const pause = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      h.freed_total += freed;
      h.live_after_collection = h.objects.size();
      h.allocated_since_collection = 0;
      h.bytes_after_collection = h.bytes;
      h.bytes_since_collection = 0;
      h.in_call_threshold = std::max(min_bytes_between_collections_in_call, 2 * h.bytes_after_collection);
      gc::collection_wanted = stress_every != 0;
      ++h.collections;
      h.last_pause_ms = pause;
      if(h.pauses_ms.size() < pause_window)
      {
        h.pauses_ms.push_back(pause);
      }
      else
      {
        h.pauses_ms[h.collections % pause_window] = pause;
      }
      h.collecting = false;
      return freed;
    }

    bool due()
    {
      auto const &h = heap();
      return h.allocated_since_collection >= std::max(min_allocations_between_collections, h.live_after_collection);
    }

    bool due_in_call()
    {
      auto const &h = heap();
      return h.bytes_since_collection >= std::max(min_bytes_between_collections_in_call, 2 * h.bytes_after_collection);
    }
  }

  namespace gc
  {
    size_t collect()
    {
      return collect_with_stack(nullptr, nullptr);
    }

    bool maybe_collect()
    {
      if(!due())
      {
        return false;
      }
      collect();
      return true;
    }

    bool maybe_collect_in_call(void const *low, void const *high)
    {
      bool const stressed = stress_every != 0 && --stress_countdown == 0;
      if(stressed)
      {
        stress_countdown = stress_every;
      }
      if(!stressed && !due_in_call())
      {
        return false;
      }
      collect_with_stack(low, high);
      return true;
    }

    void set_stress(unsigned every)
    {
      stress_every = every;
      stress_countdown = every;
      collection_wanted = every != 0 || due_in_call();
    }

    bool collection_wanted = false;

    void safepoint_slow()
    {
      if(calls::opaque_frames != 0)
      {
        return;
      }
#ifdef __EMSCRIPTEN__
      maybe_collect_in_call(reinterpret_cast<void const *>(emscripten_stack_get_current()),
                            reinterpret_cast<void const *>(emscripten_stack_get_base()));
#endif
    }

    std::vector<object *> items_collecting(object *coll)
    {
      if(coll->type != tag::lazy_seq && coll->type != tag::cons)
      {
        return to_items(coll);
      }
      std::vector<object *> items;
      object *s = jhr::seq(coll);
      scoped_roots const roots{ &coll, &s };
      for(; s->type != tag::nil; s = jhr::seq(rest(s)))
      {
        safepoint();
        items.push_back(first(s));
      }
      return items;
    }

    size_t count_collecting(object *coll)
    {
      if(coll->type != tag::lazy_seq && coll->type != tag::cons)
      {
        return count(coll);
      }
      size_t n = 0;
      object *s = jhr::seq(coll);
      scoped_roots const roots{ &coll, &s };
      for(; s->type != tag::nil; s = jhr::seq(rest(s)))
      {
        safepoint();
        ++n;
      }
      return n;
    }

    scoped_roots::scoped_roots(std::initializer_list<object **> slots)
      : count_{ slots.size() }
    {
      auto &scoped = heap().scoped_slots;
      scoped.insert(scoped.end(), slots.begin(), slots.end());
    }

    scoped_roots::~scoped_roots()
    {
      auto &scoped = heap().scoped_slots;
      scoped.resize(scoped.size() - count_);
    }

    stats current_stats()
    {
      auto const &h = heap();
      return { h.collections,
               h.objects.size(),
               h.bytes,
               h.allocated_total,
               h.allocated_bytes_total,
               h.freed_total,
               h.last_pause_ms,
               percentile(h.pauses_ms, 0.5),
               percentile(h.pauses_ms, 0.99),
               h.pauses_ms.empty() ? 0 : *std::max_element(h.pauses_ms.begin(), h.pauses_ms.end()) };
    }

    std::string stats_json()
    {
      auto const s = current_stats();
      auto number = [](double v) { return std::to_string(v); };
      return "{\"collections\":" + std::to_string(s.collections)
        + ",\"live_objects\":" + std::to_string(s.live_objects)
        + ",\"live_bytes\":" + std::to_string(s.live_bytes)
        + ",\"allocated_objects\":" + std::to_string(s.allocated_objects)
        + ",\"allocated_bytes\":" + std::to_string(s.allocated_bytes)
        + ",\"freed_objects\":" + std::to_string(s.freed_objects)
        + ",\"last_pause_ms\":" + number(s.last_pause_ms)
        + ",\"pause_p50_ms\":" + number(s.pause_p50_ms)
        + ",\"pause_p99_ms\":" + number(s.pause_p99_ms)
        + ",\"pause_max_ms\":" + number(s.pause_max_ms) + "}";
    }
  }
}
