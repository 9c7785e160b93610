// Production code of the checked-out project.
#pragma once
#include <system_error>

std::error_code listen(int port);

inline void openPort() { listen(80); }

// The project checks listen's result more often than it drops it: no
// convention hides the drops (ReportConventionallyIgnored).
inline bool openAll() {
  return !listen(1) && !listen(2) && !listen(3) && !listen(4) &&
         !listen(5) && !listen(6);
}
