// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A loop that makes a new object in each iteration, fills it and then starts
// a thread on it (Tracy's capture daemon: `auto session = new
// ClientSession(); session->programName = ...; session->thread =
// std::thread(CaptureThread, session, ...);`). The tasks the earlier
// iterations started run on the earlier iterations' objects: the filling
// before this iteration's start races with none of them. Still reported: a
// write after the start (this iteration's task runs on the object), a
// pointer declared in the loop that is re-pointed or points at an object
// made before the loop, and an object declared outside the loop.
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Session {
  std::string Name;
  std::vector<int> Stats;
  std::thread T;
};
static std::mutex Mu;
static std::map<int, Session *> Clients;
void capture(Session *S) {
  std::printf("%s\n", S->Name.c_str());
  S->Stats.push_back(1);
}

void acceptLoop(int N, const char **Names) {
  for (int I = 0; I < N; ++I) {
    auto S = new Session();
    S->Name = Names[I];
    S->Stats.reserve(4);
    {
      std::lock_guard<std::mutex> L(Mu);
      Clients[I] = S;
    }
    S->T = std::thread(capture, S);
  }
}

void acceptLoopUnique(int N) {
  std::vector<std::unique_ptr<Session>> All;
  for (int I = 0; I < N; ++I) {
    auto S = std::make_unique<Session>();
    S->Name = "x";
    S->T = std::thread(capture, S.get());
    All.push_back(std::move(S));
  }
  for (auto &S : All)
    S->T.join();
}

void late(Session *S) {
  std::printf("%s\n", S->Name.c_str()); // CHECK-NOTE: conflicting read on another thread
}
void writeAfterStart(int N) {
  for (int I = 0; I < N; ++I) {
    auto S = new Session();
    S->T = std::thread(late, S);
    S->Name = "late"; // CHECK-WARN: container 'Name' is modified without a lock while another thread reads it
  }
}

void again(Session *S) {
  std::printf("%s\n", S->Name.c_str()); // CHECK-NOTE: conflicting read on another thread
}
void repointed(int N, Session *Shared) {
  for (int I = 0; I < N; ++I) {
    Session *S = new Session();
    if (I > 0)
      S = Shared;
    S->Name = "again"; // CHECK-WARN: container 'Name' is modified without a lock while another thread reads it
    S->T = std::thread(again, S);
  }
}

void same(Session *S) {
  std::printf("%s\n", S->Name.c_str()); // CHECK-NOTE: conflicting read on another thread
}
void madeBeforeLoop(int N) {
  auto S = new Session();
  std::vector<std::thread> Ts;
  for (int I = 0; I < N; ++I) {
    S->Name = "same"; // CHECK-WARN: container 'Name' is modified without a lock while another thread reads it
    Ts.emplace_back(same, S);
  }
  for (auto &T : Ts)
    T.join();
}
