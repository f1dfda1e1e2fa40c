// The entries of a map or a set, persistent: an array in insertion order up to
// eight entries (as Clojure's array maps print), a hash array mapped trie
// (Bagwell's HAMT, 32-way) beyond, so that building and looking up stay near
// constant time per operation. Trie nodes are shared between versions and
// reference-counted; the objects they hold are traced by the collector through
// the map or set that owns the table.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace jhr
{
  struct object;
  using entry = std::pair<object *, object *>;

  struct trie_node;
  using trie_ptr = std::shared_ptr<trie_node const>;

  /* A key and value, or (when child is set) a subtrie. */
  struct trie_slot
  {
    entry kv{};
    uint32_t hash{};
    trie_ptr child;
  };

  /* Slots by the 5 hash bits at this depth, present ones only (bitmap says
   * which); past the hash's 32 bits, a collision node lists equal-hash keys. */
  struct trie_node
  {
    uint32_t bitmap{};
    bool collision{};
    std::vector<trie_slot> slots;
  };

  class entry_table
  {
  public:
    /* Clojure's array maps hold up to 8 entries. */
    static constexpr size_t max_array_entries = 8;

    /* An empty table that is a trie from the start: Clojure's sets are hash
     * sets at every size, and print in hash order. */
    static entry_table hashed()
    {
      entry_table t;
      t.root_ = std::make_shared<trie_node const>();
      return t;
    }

    size_t size() const
    {
      return count_;
    }

    /* The entry for key, or nullptr. */
    entry const *find(object const *key) const;
    entry_table assoc(object *key, object *value) const;
    entry_table dissoc(object const *key) const;

    /* Calls f(key, value) for each entry: insertion order while small. */
    template <typename F>
    void for_each(F &&f) const
    {
      if(root_)
      {
        walk(*root_, f);
      }
      else
      {
        for(auto const &[k, v] : small_)
        {
          f(k, v);
        }
      }
    }

  private:
    template <typename F>
    static void walk(trie_node const &node, F &f)
    {
      for(auto const &slot : node.slots)
      {
        if(slot.child)
        {
          walk(*slot.child, f);
        }
        else
        {
          f(slot.kv.first, slot.kv.second);
        }
      }
    }

    std::vector<entry> small_;
    trie_ptr root_;
    size_t count_{};
  };
}
