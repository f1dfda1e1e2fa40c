// The seq library (seqs.cpp): lazy over lazy seqs, eager over collections.
#pragma once

namespace jhr
{
  /* Interns map, filter, take, iterate, range and the rest of seqs.cpp's vars. */
  void install_seqs();
}
