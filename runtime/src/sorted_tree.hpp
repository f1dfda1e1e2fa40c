// The entries of a sorted map or set: a persistent AVL tree in comparator
// order, as Clojure's PersistentTreeMap is a persistent red-black tree. An
// assoc or dissoc copies the path from the root to the change (about 1.44
// log2 n nodes) and shares the rest, so building a sorted map of n entries
// costs n log n, where the sorted array it replaces copied every entry on
// every insertion (20,000 entries ran out of memory).
//
// Nodes are objects of the collector (tag::tree_node), shared between
// versions and traced once however many maps share them.
#pragma once

#include <cstdint>
#include <utility>

namespace jhr
{
  struct object;
  using entry = std::pair<object *, object *>;

  struct tree_node;

  /* Marks a tree node's entry and children (for the collector). */
  void trace_tree_node(object *node, void (*mark)(object *));
  /* Frees a tree node (for the collector's sweep). */
  void destroy_tree_node(object *node);

  namespace sorted_tree
  {
    /* The entry for key, or nullptr. comparator: a fn, or null for compare. */
    entry const *find(tree_node const *root, object *comparator, object const *key);
    /* root with key set to value; root itself when nothing changes. */
    tree_node *assoc(tree_node *root, object *comparator, object *key, object *value, bool &added);
    /* root without key (null when it empties); root itself when key is absent. */
    tree_node *dissoc(tree_node *root, object *comparator, object const *key, bool &removed);

    /* The node as the collector sees it, and back. */
    object *as_object(tree_node *n);
    tree_node const *as_node(object const *o);

    /* The node's entry and subtrees, for an in-order walk. */
    entry const &entry_of(tree_node const *n);
    tree_node const *left_of(tree_node const *n);
    tree_node const *right_of(tree_node const *n);

    /* Calls f(key, value) for each entry, in order. */
    template <typename F>
    void walk(tree_node const *n, F &f)
    {
      while(n != nullptr)
      {
        walk(left_of(n), f);
        auto const &[k, v] = entry_of(n);
        f(k, v);
        n = right_of(n);
      }
    }
  }
}
