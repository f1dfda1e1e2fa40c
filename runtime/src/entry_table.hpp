// The entries of a map or a set, persistent: an array in insertion order up to
// eight entries (as Clojure's array maps print), a hash array mapped trie
// beyond, so that building and looking up stay near constant time per
// operation.
//
// Trie nodes use the compact CHAMP layout (Steindorfer and Vinju): two bitmaps
// say which of the 32 positions hold an entry and which a subtrie, and the
// node stores just those, packed. That keeps a path copy small, which matters
// because old versions live until the next quiescent collection. Nodes are
// objects of the collector (tag::trie_node), shared between versions and
// traced once however many maps share them; a copy never touches its
// children. Iteration goes by position, so a hash map lists its entries in the
// JVM's order.
#pragma once

#include "sorted_tree.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace jhr
{
  struct object;
  using entry = std::pair<object *, object *>;

  struct trie_node;

  /* Marks a trie node's children, keys and values (for the collector). */
  void trace_trie_node(object *node, void (*mark)(object *));
  /* The bytes a trie node occupies (for the collector's accounting). */
  size_t trie_node_size(object const *node);

  class entry_table
  {
  public:
    /* Clojure's array maps hold up to 8 entries. */
    static constexpr size_t max_array_entries = 8;

    /* An empty sorted table (sorted-map, sorted-set): entries kept in
     * comparator order (nullptr: compare) in a persistent AVL tree
     * (sorted_tree.hpp). */
    static entry_table sorted(object *comparator);

    bool is_sorted() const
    {
      return sorted_;
    }

    /* The sorted table's comparator fn, or null for compare. */
    object *comparator() const
    {
      return comparator_;
    }

    /* An empty table that is a trie from the start: Clojure's sets are hash
     * sets at every size, and print in hash order. */
    static entry_table hashed();

    /* An array table in the order given, of any size, a later equal key
     * taking the earlier one's place: Clojure's array-map and its keyword
     * arguments (PersistentArrayMap.createAsIfByAssoc). Its first assoc of
     * a new key past eight entries makes it a trie, as Clojure's does. */
    static entry_table in_order(std::vector<entry> const &entries);

    size_t size() const
    {
      return count_;
    }

    /* A hash trie (PersistentHashMap), not an array map, at any size. */
    bool is_hashed() const
    {
      return hashed_;
    }

    /* The entry for key, or nullptr. */
    entry const *find(object const *key) const;
    entry_table assoc(object *key, object *value) const;
    entry_table dissoc(object const *key) const;

    /* The trie's or tree's root, for the collector to mark; null while small. */
    object *root() const;

    /* A piece of a lazy walk: an entry, or a subtree not yet visited. */
    struct piece
    {
      entry const *kv;
      object *node;
    };

    /* One level of a lazy walk, for seq: the entries and subtrees of node
     * (the table's top when node is null; else a trie or tree node that an
     * earlier call returned), in for_each's order. A seq that expands one
     * subtree at a time reaches its first entry in a path's steps, not the
     * table's size. */
    std::vector<piece> expand(object const *node) const;

    /* Calls f(key, value) for each entry: insertion order while small. */
    template <typename F>
    void for_each(F &&f) const
    {
      if(sorted_)
      {
        sorted_tree::walk(tree_, f);
        return;
      }
      if(hashed_)
      {
        if(root_ != nullptr)
        {
          walk(root_, f);
        }
        return;
      }
      for(auto const &[k, v] : small_)
      {
        f(k, v);
      }
    }

  private:
    struct node_view
    {
      entry const *entries;
      trie_node *const *children;
      uint32_t datamap, nodemap, entry_count;
      bool collision;
    };
    static node_view view(trie_node const *n);

    template <typename F>
    static void walk(trie_node const *n, F &f)
    {
      auto const v = view(n);
      if(v.collision)
      {
        for(uint32_t i = 0; i < v.entry_count; ++i)
        {
          f(v.entries[i].first, v.entries[i].second);
        }
        return;
      }
      uint32_t e = 0, c = 0;
      for(uint32_t bit = 1; bit != 0; bit <<= 1)
      {
        if(v.datamap & bit)
        {
          f(v.entries[e].first, v.entries[e].second);
          ++e;
        }
        else if(v.nodemap & bit)
        {
          walk(v.children[c++], f);
        }
      }
    }

    std::vector<entry> small_; /* array maps */
    trie_node *root_{}; /* null for an empty trie */
    tree_node *tree_{}; /* a sorted table's; null when empty */
    object *comparator_{};
    bool sorted_{};
    bool hashed_{};
    size_t count_{};
  };
}
