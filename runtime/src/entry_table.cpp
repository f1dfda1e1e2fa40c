#include "entry_table.hpp"

#include "object.hpp"

#include <bit>

namespace jhr
{
  namespace
  {
    constexpr unsigned bits_per_level = 5;
    constexpr unsigned hash_bits = 32;

    uint32_t hash32(object const *key)
    {
      auto const h = hash(key);
      return static_cast<uint32_t>(h ^ (h >> 32));
    }

    uint32_t bit_for(uint32_t h, unsigned shift)
    {
      return 1u << ((h >> shift) & 31u);
    }

    size_t index_of(uint32_t bitmap, uint32_t bit)
    {
      return static_cast<size_t>(std::popcount(bitmap & (bit - 1)));
    }

    trie_ptr with_slots(trie_node const &like, std::vector<trie_slot> slots, uint32_t bitmap)
    {
      return std::make_shared<trie_node const>(trie_node{ bitmap, like.collision, std::move(slots) });
    }

    /* A node holding two entries whose hashes agree below shift. */
    trie_ptr pair_node(unsigned shift, trie_slot a, trie_slot b)
    {
      if(shift >= hash_bits)
      {
        return std::make_shared<trie_node const>(trie_node{ 0, true, { std::move(a), std::move(b) } });
      }
      auto const bit_a = bit_for(a.hash, shift);
      auto const bit_b = bit_for(b.hash, shift);
      if(bit_a == bit_b)
      {
        trie_slot child{ {}, 0, pair_node(shift + bits_per_level, std::move(a), std::move(b)) };
        return std::make_shared<trie_node const>(trie_node{ bit_a, false, { std::move(child) } });
      }
      std::vector<trie_slot> slots;
      if(bit_a < bit_b)
      {
        slots = { std::move(a), std::move(b) };
      }
      else
      {
        slots = { std::move(b), std::move(a) };
      }
      return std::make_shared<trie_node const>(trie_node{ bit_a | bit_b, false, std::move(slots) });
    }

    entry const *find_in(trie_node const *node, unsigned shift, uint32_t h, object const *key)
    {
      while(node != nullptr)
      {
        if(node->collision)
        {
          for(auto const &slot : node->slots)
          {
            if(equals(slot.kv.first, key))
            {
              return &slot.kv;
            }
          }
          return nullptr;
        }
        auto const bit = bit_for(h, shift);
        if((node->bitmap & bit) == 0)
        {
          return nullptr;
        }
        auto const &slot = node->slots[index_of(node->bitmap, bit)];
        if(!slot.child)
        {
          return equals(slot.kv.first, key) ? &slot.kv : nullptr;
        }
        node = slot.child.get();
        shift += bits_per_level;
      }
      return nullptr;
    }

    /* The node with key set to value; `added` tells whether the key is new. */
    trie_ptr assoc_in(trie_ptr const &node, unsigned shift, trie_slot entry, bool &added)
    {
      if(node->collision)
      {
        auto slots = node->slots;
        for(auto &slot : slots)
        {
          if(equals(slot.kv.first, entry.kv.first))
          {
            if(slot.kv.second == entry.kv.second)
            {
              return node;
            }
            slot.kv.second = entry.kv.second;
            return with_slots(*node, std::move(slots), 0);
          }
        }
        slots.push_back(std::move(entry));
        added = true;
        return with_slots(*node, std::move(slots), 0);
      }
      auto const bit = bit_for(entry.hash, shift);
      auto const i = index_of(node->bitmap, bit);
      if((node->bitmap & bit) == 0)
      {
        auto slots = node->slots;
        slots.insert(slots.begin() + static_cast<long>(i), std::move(entry));
        added = true;
        return with_slots(*node, std::move(slots), node->bitmap | bit);
      }
      auto const &slot = node->slots[i];
      trie_slot replacement;
      if(slot.child)
      {
        auto child = assoc_in(slot.child, shift + bits_per_level, std::move(entry), added);
        if(child == slot.child)
        {
          return node;
        }
        replacement = { {}, 0, std::move(child) };
      }
      else if(equals(slot.kv.first, entry.kv.first))
      {
        if(slot.kv.second == entry.kv.second)
        {
          return node;
        }
        replacement = { { slot.kv.first, entry.kv.second }, slot.hash, nullptr };
      }
      else
      {
        added = true;
        replacement = { {}, 0, pair_node(shift + bits_per_level, slot, std::move(entry)) };
      }
      auto slots = node->slots;
      slots[i] = std::move(replacement);
      return with_slots(*node, std::move(slots), node->bitmap);
    }

    /* The node without key (nullptr if it empties); `removed` tells whether it was there. */
    trie_ptr dissoc_in(trie_ptr const &node, unsigned shift, uint32_t h, object const *key, bool &removed)
    {
      if(node->collision)
      {
        auto slots = node->slots;
        for(auto it = slots.begin(); it != slots.end(); ++it)
        {
          if(equals(it->kv.first, key))
          {
            slots.erase(it);
            removed = true;
            return slots.empty() ? nullptr : with_slots(*node, std::move(slots), 0);
          }
        }
        return node;
      }
      auto const bit = bit_for(h, shift);
      if((node->bitmap & bit) == 0)
      {
        return node;
      }
      auto const i = index_of(node->bitmap, bit);
      auto const &slot = node->slots[i];
      auto slots = node->slots;
      auto bitmap = node->bitmap;
      if(slot.child)
      {
        auto child = dissoc_in(slot.child, shift + bits_per_level, h, key, removed);
        if(child == slot.child)
        {
          return node;
        }
        if(child)
        {
          slots[i] = { {}, 0, std::move(child) };
          return with_slots(*node, std::move(slots), bitmap);
        }
      }
      else if(!equals(slot.kv.first, key))
      {
        return node;
      }
      else
      {
        removed = true;
      }
      slots.erase(slots.begin() + static_cast<long>(i));
      bitmap &= ~bit;
      return slots.empty() ? nullptr : with_slots(*node, std::move(slots), bitmap);
    }
  }

  entry const *entry_table::find(object const *key) const
  {
    if(root_)
    {
      return find_in(root_.get(), 0, hash32(key), key);
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

  entry_table entry_table::assoc(object *key, object *value) const
  {
    entry_table out;
    if(!root_)
    {
      for(size_t i = 0; i < small_.size(); ++i)
      {
        if(equals(small_[i].first, key))
        {
          out = *this;
          out.small_[i].second = value;
          return out;
        }
      }
      if(small_.size() < max_array_entries)
      {
        out = *this;
        out.small_.emplace_back(key, value);
        ++out.count_;
        return out;
      }
      /* The ninth key: move everything into a trie. */
      out.root_ = std::make_shared<trie_node const>();
      for(auto const &[k, v] : small_)
      {
        bool added = false;
        out.root_ = assoc_in(out.root_, 0, { { k, v }, hash32(k), nullptr }, added);
      }
      out.count_ = small_.size();
    }
    else
    {
      out = *this;
    }
    bool added = false;
    out.root_ = assoc_in(out.root_, 0, { { key, value }, hash32(key), nullptr }, added);
    out.count_ += added ? 1 : 0;
    return out;
  }

  entry_table entry_table::dissoc(object const *key) const
  {
    entry_table out = *this;
    if(!root_)
    {
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
    bool removed = false;
    out.root_ = dissoc_in(root_, 0, hash32(key), key, removed);
    out.count_ -= removed ? 1 : 0;
    if(!out.root_)
    {
      out.root_ = std::make_shared<trie_node const>();
    }
    return out;
  }
}
