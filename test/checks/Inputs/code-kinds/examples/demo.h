// An example program (ExamplePaths): its errors are left unhandled for
// brevity; a thread destroyed while joinable crashes it all the same.
#pragma once
#include "../src/server.h"

inline void runExampleServer() { listen(9000); }

inline void exampleThreads(bool once) {
  std::thread worker(serve);
  if (once)
    return;
  worker.join();
}
