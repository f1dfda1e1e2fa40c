/* What a hand-written C or C++ patch includes. The dev server force-includes it.
 *
 *   static void *ggg(void *v) { return jank_box_integer(jank_unbox_integer(v) + 49); }
 *   JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)ggg })
 *
 * The server defines JANK_PATCH_ENTRY as the patch's unique entry name
 * (jank_patch_symbols_<content hash>). The table is also exported as
 * `jank_patch_symbols`, so the same bytes load through the seed ABI form. */
#ifndef JANK_HOT_RELOAD_PATCH_H
#define JANK_HOT_RELOAD_PATCH_H

#include "hot_reload_abi.h"

#ifdef __cplusplus
  #define JANK_PATCH_EXTERN_C extern "C"
#else
  #define JANK_PATCH_EXTERN_C
#endif

#define JANK_PATCH_EXPORT JANK_PATCH_EXTERN_C __attribute__((visibility("default"), used))

#ifdef JANK_PATCH_ENTRY
  #define JANK_PATCH_SEED_ALIAS_                                                                   \
    JANK_PATCH_EXPORT patch_symbol *jank_patch_symbols(int *count)                                 \
    {                                                                                              \
      return JANK_PATCH_ENTRY(count);                                                              \
    }
#else
  #define JANK_PATCH_ENTRY jank_patch_symbols
  #define JANK_PATCH_SEED_ALIAS_
#endif

#define JANK_PATCH_SYMBOLS(...)                                                                    \
  JANK_PATCH_EXPORT patch_symbol *JANK_PATCH_ENTRY(int *count)                                     \
  {                                                                                                \
    static patch_symbol table[] = { __VA_ARGS__ };                                                 \
    *count = (int)(sizeof(table) / sizeof(table[0]));                                              \
    return table;                                                                                  \
  }                                                                                                \
  JANK_PATCH_SEED_ALIAS_

#endif
