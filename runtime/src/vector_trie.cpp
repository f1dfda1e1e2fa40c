#include "vector_trie.hpp"

#include <algorithm>

namespace jhr
{
  /* Built level by level, in the shape conj would give: full leaves of 32
   * from the left, the rest in the tail. */
  vector_trie vector_trie::from(std::vector<object *> const &items)
  {
    vector_trie v;
    v.count_ = items.size();
    v.end_ = v.count_;
    auto const in_trie = static_cast<std::ptrdiff_t>(v.tail_offset());
    v.tail_.assign(items.begin() + in_trie, items.end());
    if(in_trie == 0)
    {
      return v;
    }
    std::vector<node_ptr> level;
    for(std::ptrdiff_t at = 0; at < in_trie; at += 32)
    {
      level.push_back(std::make_shared<node const>(node{ { items.begin() + at, items.begin() + at + 32 }, {} }));
    }
    while(level.size() > 32)
    {
      std::vector<node_ptr> parents;
      for(size_t at = 0; at < level.size(); at += 32)
      {
        auto const end = std::min(at + 32, level.size());
        parents.push_back(std::make_shared<node const>(node{ {}, { level.begin() + static_cast<std::ptrdiff_t>(at), level.begin() + static_cast<std::ptrdiff_t>(end) } }));
      }
      level = std::move(parents);
      v.shift_ += 5;
    }
    v.root_ = std::make_shared<node const>(node{ {}, std::move(level) });
    return v;
  }

  vector_trie::node const &vector_trie::leaf_for(size_t i) const
  {
    node const *n = root_.get();
    for(unsigned level = shift_; level > 0; level -= 5)
    {
      n = n->children[(i >> level) & 31].get();
    }
    return *n;
  }

  object *vector_trie::raw_at(size_t i) const
  {
    if(i >= tail_offset())
    {
      return tail_[i - tail_offset()];
    }
    return leaf_for(i).items[i & 31];
  }

  vector_trie::node_ptr vector_trie::new_path(unsigned level, node_ptr n)
  {
    if(level == 0)
    {
      return n;
    }
    return std::make_shared<node const>(node{ {}, { new_path(level - 5, std::move(n)) } });
  }

  vector_trie::node_ptr vector_trie::push_tail(unsigned level, node const &parent, node_ptr tail) const
  {
    auto const sub = ((count_ - 1) >> level) & 31;
    node copy = parent;
    node_ptr inserted;
    if(level == 5)
    {
      inserted = std::move(tail);
    }
    else if(sub < parent.children.size())
    {
      inserted = push_tail(level - 5, *parent.children[sub], std::move(tail));
    }
    else
    {
      inserted = new_path(level - 5, std::move(tail));
    }
    if(sub < copy.children.size())
    {
      copy.children[sub] = std::move(inserted);
    }
    else
    {
      copy.children.push_back(std::move(inserted));
    }
    return std::make_shared<node const>(std::move(copy));
  }

  vector_trie vector_trie::conj(object *x) const
  {
    if(is_whole())
    {
      auto out = raw_conj(x);
      out.end_ = out.count_;
      return out;
    }
    /* A slice grows over the items after it, which it does not see. */
    auto out = end_ < count_ ? raw_assoc(end_, x) : raw_conj(x);
    out.end_ = end_ + 1;
    return out;
  }

  vector_trie vector_trie::assoc(size_t i, object *x) const
  {
    return i == size() ? conj(x) : raw_assoc(start_ + i, x);
  }

  vector_trie vector_trie::slice(size_t from, size_t to) const
  {
    vector_trie out = *this;
    out.start_ = start_ + from;
    out.end_ = start_ + to;
    return out;
  }

  vector_trie vector_trie::pop() const
  {
    if(size() <= 1)
    {
      return {};
    }
    if(is_whole())
    {
      auto out = raw_pop();
      out.end_ = out.count_;
      return out;
    }
    vector_trie out = *this;
    --out.end_;
    return out;
  }

  vector_trie vector_trie::raw_conj(object *x) const
  {
    if(count_ - tail_offset() < 32)
    {
      /* The tail copied once, at its new size (a copy then a push_back
       * would allocate twice whenever the copy's capacity was exact). */
      vector_trie out;
      out.root_ = root_;
      out.shift_ = shift_;
      out.count_ = count_ + 1;
      out.start_ = start_;
      out.end_ = end_;
      out.tail_.reserve(tail_.size() + 1);
      out.tail_.assign(tail_.begin(), tail_.end());
      out.tail_.push_back(x);
      return out;
    }
    vector_trie out = *this;
    auto tail = std::make_shared<node const>(node{ tail_, {} });
    if(!root_)
    {
      out.root_ = std::make_shared<node const>(node{ {}, { std::move(tail) } });
    }
    else if((count_ >> 5) > (size_t{ 1 } << shift_))
    {
      /* The tree is full: a new root one level up. */
      out.root_ = std::make_shared<node const>(node{ {}, { root_, new_path(shift_, std::move(tail)) } });
      out.shift_ += 5;
    }
    else
    {
      out.root_ = push_tail(shift_, *root_, std::move(tail));
    }
    out.tail_ = { x };
    ++out.count_;
    return out;
  }

  vector_trie::node_ptr vector_trie::assoc_in(unsigned level, node const &n, size_t i, object *x)
  {
    node copy = n;
    if(level == 0)
    {
      copy.items[i & 31] = x;
    }
    else
    {
      auto const sub = (i >> level) & 31;
      copy.children[sub] = assoc_in(level - 5, *n.children[sub], i, x);
    }
    return std::make_shared<node const>(std::move(copy));
  }

  vector_trie vector_trie::raw_assoc(size_t i, object *x) const
  {
    if(i == count_)
    {
      return raw_conj(x);
    }
    vector_trie out = *this;
    if(i >= tail_offset())
    {
      out.tail_[i - tail_offset()] = x;
    }
    else
    {
      out.root_ = assoc_in(shift_, *root_, i, x);
    }
    return out;
  }

  vector_trie::node_ptr vector_trie::pop_tail(unsigned level, node const &n) const
  {
    auto const sub = ((count_ - 2) >> level) & 31;
    if(level > 5)
    {
      auto child = pop_tail(level - 5, *n.children[sub]);
      if(!child && sub == 0)
      {
        return nullptr;
      }
      node copy = n;
      if(child)
      {
        copy.children[sub] = std::move(child);
      }
      else
      {
        copy.children.pop_back();
      }
      return std::make_shared<node const>(std::move(copy));
    }
    if(sub == 0)
    {
      return nullptr;
    }
    node copy = n;
    copy.children.pop_back();
    return std::make_shared<node const>(std::move(copy));
  }

  vector_trie vector_trie::raw_pop() const
  {
    if(count_ <= 1)
    {
      return {};
    }
    vector_trie out = *this;
    --out.count_;
    if(count_ - tail_offset() > 1)
    {
      out.tail_.pop_back();
      return out;
    }
    /* The tail empties: the last leaf becomes the tail. */
    out.tail_ = leaf_for(count_ - 2).items;
    auto root = pop_tail(shift_, *root_);
    if(!root)
    {
      out.root_ = nullptr;
      out.shift_ = 5;
    }
    else if(shift_ > 5 && root->children.size() == 1)
    {
      out.root_ = root->children[0];
      out.shift_ -= 5;
    }
    else
    {
      out.root_ = std::move(root);
    }
    return out;
  }
}
