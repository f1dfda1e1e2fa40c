// JVM classes the page does not have, as values (absent_classes.cpp).
#pragma once

namespace jhr
{
  /* Interns host-class*, host-field* and host-static-call*. */
  void install_absent_classes();
}
