// The items of a vector, persistent: Clojure's 32-way trie with a tail.
// Lookup and update are O(log32 n); conj and pop touch only the tail most of
// the time. Nodes are shared between versions and reference-counted; the
// objects they hold are traced by the collector through the owning vector.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace jhr
{
  struct object;

  class vector_trie
  {
  public:
    static vector_trie from(std::vector<object *> const &items);

    size_t size() const
    {
      return end_ - start_;
    }

    object *at(size_t i) const
    {
      return raw_at(start_ + i);
    }
    vector_trie conj(object *x) const;
    /* i may equal size(), which appends. */
    vector_trie assoc(size_t i, object *x) const;
    /* Without the last item; the vector must not be empty. */
    vector_trie pop() const;
    /* Items [from, to) in O(1), sharing this trie, as Clojure's subvec
     * shares its vector (and keeps all of it alive). */
    vector_trie slice(size_t from, size_t to) const;

    /* Calls f(item) in order. */
    template <typename F>
    void for_each(F &&f) const
    {
      if(!is_whole())
      {
        for(auto i = start_; i < end_; ++i)
        {
          f(raw_at(i));
        }
        return;
      }
      if(root_)
      {
        walk(*root_, shift_, f);
      }
      for(auto *x : tail_)
      {
        f(x);
      }
    }

    std::vector<object *> items() const
    {
      std::vector<object *> out;
      out.reserve(size());
      for_each([&](object *x) { out.push_back(x); });
      return out;
    }

  private:
    /* The trie's items are [0, count_); a vector sees [start_, end_) of
     * them, all of them unless it is a slice. */
    bool is_whole() const
    {
      return start_ == 0 && end_ == count_;
    }
    object *raw_at(size_t i) const;
    vector_trie raw_conj(object *x) const;
    vector_trie raw_assoc(size_t i, object *x) const;
    vector_trie raw_pop() const;

    struct node;
    using node_ptr = std::shared_ptr<node const>;

    /* A leaf holds up to 32 items; an inner node up to 32 children. */
    struct node
    {
      std::vector<object *> items;
      std::vector<node_ptr> children;
    };

    template <typename F>
    static void walk(node const &n, unsigned level, F &f)
    {
      if(level == 0)
      {
        for(auto *x : n.items)
        {
          f(x);
        }
        return;
      }
      for(auto const &child : n.children)
      {
        walk(*child, level - 5, f);
      }
    }

    size_t tail_offset() const
    {
      return count_ < 32 ? 0 : ((count_ - 1) >> 5) << 5;
    }

    node_ptr push_tail(unsigned level, node const &parent, node_ptr tail) const;
    node_ptr pop_tail(unsigned level, node const &n) const;
    static node_ptr new_path(unsigned level, node_ptr n);
    static node_ptr assoc_in(unsigned level, node const &n, size_t i, object *x);
    node const &leaf_for(size_t i) const;

    node_ptr root_; /* null until the tail first fills */
    std::vector<object *> tail_;
    unsigned shift_{ 5 };
    size_t count_{};
    size_t start_{};
    size_t end_{};
  };
}
