#include "sorted_tree.hpp"

#include "colls.hpp"
#include "object.hpp"

#include <algorithm>

namespace jhr
{
  struct tree_node : object
  {
    tree_node(entry e, tree_node *l, tree_node *r)
      : object{ tag::tree_node }
      , kv{ e }
      , left{ l }
      , right{ r }
      , height{ 1 + std::max(l == nullptr ? 0 : l->height, r == nullptr ? 0 : r->height) }
    {
    }

    entry kv;
    tree_node *left;
    tree_node *right;
    int32_t height;
  };

  void trace_tree_node(object *node, void (*mark)(object *))
  {
    auto *n = static_cast<tree_node *>(node);
    mark(n->kv.first);
    mark(n->kv.second);
    if(n->left != nullptr)
    {
      mark(n->left);
    }
    if(n->right != nullptr)
    {
      mark(n->right);
    }
  }

  namespace sorted_tree
  {
    namespace
    {
      int height(tree_node const *n)
      {
        return n == nullptr ? 0 : n->height;
      }

      tree_node *node(entry e, tree_node *l, tree_node *r)
      {
        return new tree_node{ e, l, r };
      }

      /* A node for e over l and r, rotated back into AVL balance (the
       * heights of l and r differ by at most 2 after one change below). */
      tree_node *balanced(entry e, tree_node *l, tree_node *r)
      {
        auto const hl = height(l);
        auto const hr = height(r);
        if(hl > hr + 1)
        {
          if(height(l->left) >= height(l->right))
          {
            return node(l->kv, l->left, node(e, l->right, r));
          }
          auto *m = l->right;
          return node(m->kv, node(l->kv, l->left, m->left), node(e, m->right, r));
        }
        if(hr > hl + 1)
        {
          if(height(r->right) >= height(r->left))
          {
            return node(r->kv, node(e, l, r->left), r->right);
          }
          auto *m = r->left;
          return node(m->kv, node(e, l, m->left), node(r->kv, m->right, r->right));
        }
        return node(e, l, r);
      }

      int order(object *comparator, object const *a, object const *b)
      {
        return compare_with(comparator, const_cast<object *>(a), const_cast<object *>(b));
      }

      /* n without its leftmost entry, which goes to `min`. */
      tree_node *without_min(tree_node *n, entry &min)
      {
        if(n->left == nullptr)
        {
          min = n->kv;
          return n->right;
        }
        return balanced(n->kv, without_min(n->left, min), n->right);
      }
    }

    entry const *find(tree_node const *root, object *comparator, object const *key)
    {
      for(auto const *n = root; n != nullptr;)
      {
        auto const c = order(comparator, key, n->kv.first);
        if(c == 0)
        {
          return &n->kv;
        }
        n = c < 0 ? n->left : n->right;
      }
      return nullptr;
    }

    tree_node *assoc(tree_node *root, object *comparator, object *key, object *value, bool &added)
    {
      if(root == nullptr)
      {
        added = true;
        return node({ key, value }, nullptr, nullptr);
      }
      auto const c = order(comparator, key, root->kv.first);
      if(c == 0)
      {
        /* The key already there stays, as in Clojure's sorted maps. */
        return root->kv.second == value ? root : node({ root->kv.first, value }, root->left, root->right);
      }
      if(c < 0)
      {
        auto *l = assoc(root->left, comparator, key, value, added);
        return l == root->left ? root : balanced(root->kv, l, root->right);
      }
      auto *r = assoc(root->right, comparator, key, value, added);
      return r == root->right ? root : balanced(root->kv, root->left, r);
    }

    tree_node *dissoc(tree_node *root, object *comparator, object const *key, bool &removed)
    {
      if(root == nullptr)
      {
        return nullptr;
      }
      auto const c = order(comparator, key, root->kv.first);
      if(c < 0)
      {
        auto *l = dissoc(root->left, comparator, key, removed);
        return l == root->left ? root : balanced(root->kv, l, root->right);
      }
      if(c > 0)
      {
        auto *r = dissoc(root->right, comparator, key, removed);
        return r == root->right ? root : balanced(root->kv, root->left, r);
      }
      removed = true;
      if(root->left == nullptr)
      {
        return root->right;
      }
      if(root->right == nullptr)
      {
        return root->left;
      }
      entry successor;
      auto *r = without_min(root->right, successor);
      return balanced(successor, root->left, r);
    }

    object *as_object(tree_node *n)
    {
      return n;
    }

    tree_node const *as_node(object const *o)
    {
      return static_cast<tree_node const *>(o);
    }

    entry const &entry_of(tree_node const *n)
    {
      return n->kv;
    }

    tree_node const *left_of(tree_node const *n)
    {
      return n->left;
    }

    tree_node const *right_of(tree_node const *n)
    {
      return n->right;
    }
  }

  void destroy_tree_node(object *node)
  {
    delete static_cast<tree_node *>(node);
  }
}
