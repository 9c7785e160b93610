// ReportThrowPaths: all: a thread member (or container of threads) that the
// function starting it joins on every normal path is still reported: an
// exception between the start and the join leaves it joinable for the
// destructor. unjoined-thread-members-joined-by-starter.cpp has the default.
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportThrowPaths: all}}" -- -std=c++17
#include <cstddef>
#include <thread>
#include <vector>

void serve();

class PoolServer {
public:
  void run(std::size_t N) {
    for (std::size_t I = 1; I < N; ++I)
      threads.emplace_back([this] { serve(); }); // CHECK-NOTE: thread added to 'threads' here
    serve();
    for (auto &T : threads)
      T.join();
  }
  ~PoolServer() {} // CHECK-WARN: the destructor of 'PoolServer' does not join or detach thread member 'threads'
  // CHECK-NOTE@-1: join or detach 'threads' in the destructor

private:
  std::vector<std::thread> threads;
};
