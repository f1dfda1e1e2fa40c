// clojure.lang.PersistentQueue (queue.cpp).
#pragma once

namespace jhr
{
  /* Binds clojure.lang.PersistentQueue/EMPTY. */
  void install_queue();
}
