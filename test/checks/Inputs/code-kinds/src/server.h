// Production code a test calls: its hazards stay reported whatever calls it.
#pragma once
#include <system_error>
#include <thread>

void serve();
void request();
std::error_code listen(int port);

inline void startAndRequest() {
  std::thread server(serve);
  request();
  server.join();
}

inline void openPort() { listen(80); }

// The code base checks listen's result more often than it drops it: no
// convention hides the drops (ReportConventionallyIgnored).
inline bool openAll() {
  return !listen(1) && !listen(2) && !listen(3) && !listen(4) &&
         !listen(5) && !listen(6);
}
