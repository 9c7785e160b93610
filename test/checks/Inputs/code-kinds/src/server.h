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
