// A system header: its code is no evidence (the TU's user code only).
#pragma once

template <class E> bool sysTrimAll(E &e) {
  return e.Trim().ok() && e.Trim().ok() && e.Trim().ok();
}
