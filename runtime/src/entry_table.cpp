#include "entry_table.hpp"

#include "colls.hpp"
#include "numbers.hpp"
#include "object.hpp"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

namespace jhr
{
  /* A trie node: a header, then its entries, its children, and its entries'
   * key hashes, packed. The hashes let a walk pass over a key without loading
   * it: at a hundred thousand entries the keys no longer stay in cache, and
   * loading one to compare it or to rehash it was most of an assoc's cost. */
  struct trie_node : object
  {
    trie_node(uint32_t d, uint32_t n, uint16_t e, uint16_t c, bool coll)
      : object{ tag::trie_node }
      , datamap{ d }
      , nodemap{ n }
      , entry_count{ e }
      , child_count{ c }
      , collision{ coll }
    {
    }

    uint32_t datamap; /* positions holding an entry */
    uint32_t nodemap; /* positions holding a subtrie */
    uint16_t entry_count;
    uint16_t child_count;
    bool collision; /* past the hash's 32 bits: equal-hash keys, listed */

    entry *entries()
    {
      return reinterpret_cast<entry *>(this + 1);
    }

    trie_node **children()
    {
      return reinterpret_cast<trie_node **>(entries() + entry_count);
    }

    uint32_t *hashes()
    {
      return reinterpret_cast<uint32_t *>(children() + child_count);
    }
  };

  namespace
  {
    size_t node_bytes(size_t entries, size_t children)
    {
      return sizeof(trie_node) + entries * (sizeof(entry) + sizeof(uint32_t)) + children * sizeof(trie_node *);
    }
  }

  size_t trie_node_size(object const *node)
  {
    auto const *n = static_cast<trie_node const *>(node);
    return node_bytes(n->entry_count, n->child_count);
  }

  void trace_trie_node(object *node, void (*mark)(object *))
  {
    auto *n = static_cast<trie_node *>(node);
    for(uint16_t i = 0; i < n->entry_count; ++i)
    {
      mark(n->entries()[i].first);
      mark(n->entries()[i].second);
    }
    for(uint16_t i = 0; i < n->child_count; ++i)
    {
      mark(n->children()[i]);
    }
  }

  namespace
  {
    constexpr unsigned bits_per_level = 5;
    constexpr unsigned hash_bits = 32;

    uint32_t hash32(object const *key)
    {
      auto const h = hash(key);
      return static_cast<uint32_t>(h ^ (h >> 32));
    }

    /* An entry with its key's hash, as nodes store them. */
    struct hashed_entry
    {
      entry kv;
      uint32_t hash;
    };

    uint32_t bit_for(uint32_t h, unsigned shift)
    {
      return 1u << ((h >> shift) & 31u);
    }

    uint32_t index_of(uint32_t bitmap, uint32_t bit)
    {
      return static_cast<uint32_t>(std::popcount(bitmap & (bit - 1)));
    }

    /* A new node (an object of the collector) with room for the given
     * entries and children, which the caller fills in. */
    trie_node *allocate(uint32_t datamap, uint32_t nodemap, size_t entries, size_t children, bool collision)
    {
      auto *raw = object::operator new(node_bytes(entries, children));
      return new(raw) trie_node{ datamap,
                                 nodemap,
                                 static_cast<uint16_t>(entries),
                                 static_cast<uint16_t>(children),
                                 collision };
    }

    hashed_entry entry_at(trie_node *n, uint32_t i)
    {
      return { n->entries()[i], n->hashes()[i] };
    }

    /* A node from explicit parts. */
    trie_node *make(uint32_t datamap,
                    uint32_t nodemap,
                    std::vector<hashed_entry> const &entries,
                    std::vector<trie_node *> const &children,
                    bool collision = false)
    {
      auto *n = allocate(datamap, nodemap, entries.size(), children.size(), collision);
      for(size_t i = 0; i < entries.size(); ++i)
      {
        n->entries()[i] = entries[i].kv;
        n->hashes()[i] = entries[i].hash;
      }
      std::copy(children.begin(), children.end(), n->children());
      return n;
    }

    std::vector<hashed_entry> entries_of(trie_node *n)
    {
      std::vector<hashed_entry> out;
      out.reserve(n->entry_count);
      for(uint16_t i = 0; i < n->entry_count; ++i)
      {
        out.push_back(entry_at(n, i));
      }
      return out;
    }

    std::vector<trie_node *> children_of(trie_node *n)
    {
      return { n->children(), n->children() + n->child_count };
    }

    /* A copy of n, ready for one in-place change. */
    trie_node *copy_node(trie_node *n)
    {
      auto *out = allocate(n->datamap, n->nodemap, n->entry_count, n->child_count, n->collision);
      std::memcpy(out->entries(), n->entries(), node_bytes(n->entry_count, n->child_count) - sizeof(trie_node));
      return out;
    }

    /* n with child i replaced by child. */
    trie_node *with_child(trie_node *n, uint32_t i, trie_node *child)
    {
      auto *out = copy_node(n);
      out->children()[i] = child;
      return out;
    }

    /* n with e inserted as entry i at position bit. */
    trie_node *with_new_entry(trie_node *n, uint32_t i, uint32_t bit, hashed_entry e)
    {
      auto *out = allocate(n->datamap | bit, n->nodemap, n->entry_count + 1u, n->child_count, false);
      std::memcpy(out->entries(), n->entries(), i * sizeof(entry));
      out->entries()[i] = e.kv;
      std::memcpy(out->entries() + i + 1, n->entries() + i, (n->entry_count - i) * sizeof(entry));
      std::memcpy(out->children(), n->children(), n->child_count * sizeof(trie_node *));
      std::memcpy(out->hashes(), n->hashes(), i * sizeof(uint32_t));
      out->hashes()[i] = e.hash;
      std::memcpy(out->hashes() + i + 1, n->hashes() + i, (n->entry_count - i) * sizeof(uint32_t));
      return out;
    }

    /* n with entry i (at position bit) moved down into child. */
    trie_node *with_entry_pushed_down(trie_node *n, uint32_t i, uint32_t bit, trie_node *child)
    {
      auto *out = allocate(n->datamap & ~bit, n->nodemap | bit, n->entry_count - 1u, n->child_count + 1u, false);
      std::memcpy(out->entries(), n->entries(), i * sizeof(entry));
      std::memcpy(out->entries() + i, n->entries() + i + 1, (n->entry_count - i - 1) * sizeof(entry));
      auto const c = index_of(n->nodemap, bit);
      std::memcpy(out->children(), n->children(), c * sizeof(trie_node *));
      out->children()[c] = child;
      std::memcpy(out->children() + c + 1, n->children() + c, (n->child_count - c) * sizeof(trie_node *));
      std::memcpy(out->hashes(), n->hashes(), i * sizeof(uint32_t));
      std::memcpy(out->hashes() + i, n->hashes() + i + 1, (n->entry_count - i - 1) * sizeof(uint32_t));
      return out;
    }

    /* A node holding two entries whose hashes agree below shift. */
    trie_node *pair_node(unsigned shift, hashed_entry a, hashed_entry b)
    {
      if(shift >= hash_bits)
      {
        return make(0, 0, { a, b }, {}, true);
      }
      auto const bit_a = bit_for(a.hash, shift);
      auto const bit_b = bit_for(b.hash, shift);
      if(bit_a == bit_b)
      {
        auto *child = pair_node(shift + bits_per_level, a, b);
        return make(0, bit_a, {}, { child });
      }
      return bit_a < bit_b ? make(bit_a | bit_b, 0, { a, b }, {}) : make(bit_a | bit_b, 0, { b, a }, {});
    }

    entry const *find_in(trie_node *n, unsigned shift, uint32_t h, object const *key)
    {
      while(n != nullptr)
      {
        if(n->collision)
        {
          for(uint16_t i = 0; i < n->entry_count; ++i)
          {
            if(equals(n->entries()[i].first, key))
            {
              return &n->entries()[i];
            }
          }
          return nullptr;
        }
        auto const bit = bit_for(h, shift);
        if(n->datamap & bit)
        {
          auto const i = index_of(n->datamap, bit);
          auto const &e = n->entries()[i];
          return n->hashes()[i] == h && equals(e.first, key) ? &e : nullptr;
        }
        if((n->nodemap & bit) == 0)
        {
          return nullptr;
        }
        n = n->children()[index_of(n->nodemap, bit)];
        shift += bits_per_level;
      }
      return nullptr;
    }

    /* n with e's key set to its value (n itself when
     * nothing changes); `added` tells whether the key is new. */
    trie_node *assoc_in(trie_node *n, unsigned shift, hashed_entry e, bool &added)
    {
      if(n->collision)
      {
        auto entries = entries_of(n);
        for(auto &existing : entries)
        {
          if(equals(existing.kv.first, e.kv.first))
          {
            if(existing.kv.second == e.kv.second)
            {
              return n;
            }
            existing.kv.second = e.kv.second;
            return make(0, 0, entries, {}, true);
          }
        }
        entries.push_back(e);
        added = true;
        return make(0, 0, entries, {}, true);
      }
      auto const bit = bit_for(e.hash, shift);
      if(n->datamap & bit)
      {
        auto const i = index_of(n->datamap, bit);
        auto const existing = entry_at(n, i);
        if(existing.hash == e.hash && equals(existing.kv.first, e.kv.first))
        {
          if(existing.kv.second == e.kv.second)
          {
            return n;
          }
          auto *out = copy_node(n);
          out->entries()[i].second = e.kv.second;
          return out;
        }
        /* Two keys at one position: they move down into a subtrie. */
        added = true;
        auto *child = pair_node(shift + bits_per_level, existing, e);
        return with_entry_pushed_down(n, i, bit, child);
      }
      if(n->nodemap & bit)
      {
        auto const i = index_of(n->nodemap, bit);
        auto *old_child = n->children()[i];
        auto *child = assoc_in(old_child, shift + bits_per_level, e, added);
        if(child == old_child)
        {
          return n;
        }
        return with_child(n, i, child);
      }
      added = true;
      return with_new_entry(n, index_of(n->datamap, bit), bit, e);
    }

    /* n without key (null when it empties). */
    trie_node *dissoc_in(trie_node *n, unsigned shift, uint32_t h, object const *key, bool &removed)
    {
      if(n->collision)
      {
        auto entries = entries_of(n);
        for(auto it = entries.begin(); it != entries.end(); ++it)
        {
          if(equals(it->kv.first, key))
          {
            entries.erase(it);
            removed = true;
            return entries.empty() ? nullptr : make(0, 0, entries, {}, true);
          }
        }
        return n;
      }
      auto const bit = bit_for(h, shift);
      if(n->datamap & bit)
      {
        auto const i = index_of(n->datamap, bit);
        if(n->hashes()[i] != h || !equals(n->entries()[i].first, key))
        {
          return n;
        }
        removed = true;
        if(n->entry_count == 1 && n->child_count == 0)
        {
          return nullptr;
        }
        auto entries = entries_of(n);
        entries.erase(entries.begin() + i);
        return make(n->datamap & ~bit, n->nodemap, entries, children_of(n));
      }
      if((n->nodemap & bit) == 0)
      {
        return n;
      }
      auto const i = index_of(n->nodemap, bit);
      auto *old_child = n->children()[i];
      auto *child = dissoc_in(old_child, shift + bits_per_level, h, key, removed);
      if(child == old_child)
      {
        return n;
      }
      auto children = children_of(n);
      auto entries = entries_of(n);
      trie_node *out;
      if(child == nullptr)
      {
        children.erase(children.begin() + i);
        if(children.empty() && entries.empty())
        {
          return nullptr;
        }
        out = make(n->datamap, n->nodemap & ~bit, entries, children);
      }
      else if(child->child_count == 0 && child->entry_count == 1)
      {
        /* A subtrie down to one entry moves back up (CHAMP's canonical form). */
        children.erase(children.begin() + i);
        entries.insert(entries.begin() + index_of(n->datamap, bit), entry_at(child, 0));
        out = make(n->datamap | bit, n->nodemap & ~bit, entries, children);
      }
      else
      {
        children[i] = child;
        out = make(n->datamap, n->nodemap, entries, children);
      }
      return out;
    }
  }

  entry_table::node_view entry_table::view(trie_node const *n)
  {
    auto *m = const_cast<trie_node *>(n);
    return { m->entries(), m->children(), n->datamap, n->nodemap, n->entry_count, n->collision };
  }

  std::vector<entry_table::piece> entry_table::expand(object const *node) const
  {
    std::vector<piece> out;
    if(node == nullptr)
    {
      if(sorted_ || hashed_)
      {
        if(auto *top = root())
        {
          out.push_back({ nullptr, top });
        }
        return out;
      }
      for(auto const &kv : small_)
      {
        out.push_back({ &kv, nullptr });
      }
      return out;
    }
    if(node->type == tag::tree_node)
    {
      auto const *n = sorted_tree::as_node(node);
      if(auto const *left = sorted_tree::left_of(n))
      {
        out.push_back({ nullptr, sorted_tree::as_object(const_cast<tree_node *>(left)) });
      }
      out.push_back({ &sorted_tree::entry_of(n), nullptr });
      if(auto const *right = sorted_tree::right_of(n))
      {
        out.push_back({ nullptr, sorted_tree::as_object(const_cast<tree_node *>(right)) });
      }
      return out;
    }
    auto const v = view(static_cast<trie_node const *>(node));
    if(v.collision)
    {
      for(uint32_t i = 0; i < v.entry_count; ++i)
      {
        out.push_back({ &v.entries[i], nullptr });
      }
      return out;
    }
    uint32_t e = 0, c = 0;
    for(uint32_t bit = 1; bit != 0; bit <<= 1)
    {
      if(v.datamap & bit)
      {
        out.push_back({ &v.entries[e++], nullptr });
      }
      else if(v.nodemap & bit)
      {
        out.push_back({ nullptr, v.children[c++] });
      }
    }
    return out;
  }

  object *entry_table::root() const
  {
    return sorted_ ? sorted_tree::as_object(tree_) : root_;
  }

  entry_table entry_table::sorted(object *comparator)
  {
    entry_table t;
    t.sorted_ = true;
    t.comparator_ = comparator;
    return t;
  }

  entry_table entry_table::hashed()
  {
    entry_table t;
    t.hashed_ = true;
    return t;
  }

  entry_table entry_table::in_order(std::vector<entry> const &entries)
  {
    entry_table t;
    for(auto const &given : entries)
    {
      auto const found = std::find_if(t.small_.begin(), t.small_.end(), [&](entry const &e) {
        return equals(e.first, given.first);
      });
      if(found != t.small_.end())
      {
        found->second = given.second;
      }
      else
      {
        t.small_.push_back(given);
      }
    }
    t.count_ = t.small_.size();
    return t;
  }

  entry const *entry_table::find(object const *key) const
  {
    if(hashed_)
    {
      return root_ == nullptr ? nullptr : find_in(root_, 0, hash32(key), key);
    }
    if(sorted_)
    {
      return sorted_tree::find(tree_, comparator_, key);
    }
    for(auto const &e : small_)
    {
      if(equals(e.first, key))
      {
        return &e;
      }
    }
    return nullptr;
  }

  namespace
  {
    /* What Clojure's default comparator orders: nil, numbers, and the
     * Comparable values (a deftype's or record's Comparable among them). */
    bool default_comparable(object *key)
    {
      switch(key->type)
      {
        case tag::nil:
        case tag::string:
        case tag::uuid:
        case tag::inst:
        case tag::boolean:
        case tag::character:
        case tag::keyword:
        case tag::symbol:
        case tag::vector:
          return true;
        default:
          return is_number(key) || key->type == tag::instance
            || interface_fn(key, &record_type_obj::compare_fn) != nullptr;
      }
    }
  }

  entry_table entry_table::assoc(object *key, object *value) const
  {
    if(sorted_)
    {
      /* The first key goes in without a comparison, so check it as
       * Clojure's PersistentTreeMap does: (sorted-set {}) fails. */
      if(count_ == 0 && (comparator_ == nullptr || comparator_->type == tag::nil) && !default_comparable(key))
      {
        fail("Default comparator requires nil, Number, or Comparable: " + pr_str(key));
      }
      entry_table out = *this;
      bool added = false;
      out.tree_ = sorted_tree::assoc(tree_, comparator_, key, value, added);
      out.count_ += added ? 1 : 0;
      return out;
    }
    if(!hashed_)
    {
      for(size_t i = 0; i < small_.size(); ++i)
      {
        if(equals(small_[i].first, key))
        {
          entry_table out = *this;
          out.small_[i].second = value;
          return out;
        }
      }
      if(small_.size() < max_array_entries)
      {
        entry_table out = *this;
        out.small_.emplace_back(key, value);
        ++out.count_;
        return out;
      }
      /* The ninth key: everything moves into a trie. */
      auto out = hashed();
      for(auto const &[k, v] : small_)
      {
        out = out.assoc(k, v);
      }
      return out.assoc(key, value);
    }
    entry_table out = hashed();
    auto const h = hash32(key);
    bool added = true;
    if(root_ == nullptr)
    {
      out.root_ = make(bit_for(h, 0), 0, { { { key, value }, h } }, {});
    }
    else
    {
      added = false;
      out.root_ = assoc_in(root_, 0, { { key, value }, h }, added);
    }
    out.count_ = count_ + (added ? 1 : 0);
    return out;
  }

  entry_table entry_table::dissoc(object const *key) const
  {
    if(sorted_)
    {
      entry_table out = *this;
      bool removed = false;
      out.tree_ = sorted_tree::dissoc(tree_, comparator_, key, removed);
      out.count_ -= removed ? 1 : 0;
      return out;
    }
    if(!hashed_)
    {
      entry_table out = *this;
      for(auto it = out.small_.begin(); it != out.small_.end(); ++it)
      {
        if(equals(it->first, key))
        {
          out.small_.erase(it);
          --out.count_;
          break;
        }
      }
      return out;
    }
    if(root_ == nullptr)
    {
      return *this;
    }
    entry_table out = hashed();
    bool removed = false;
    out.root_ = dissoc_in(root_, 0, hash32(key), key, removed);
    out.count_ = count_ - (removed ? 1 : 0);
    return out;
  }
}
