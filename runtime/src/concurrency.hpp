// Refs, agents, futures and taps on the page's one thread (concurrency.cpp).
#pragma once

namespace jhr
{
  /* Interns ref, alter, sync*, agent, send, future-call, tap> and the rest. */
  void install_concurrency();
}
