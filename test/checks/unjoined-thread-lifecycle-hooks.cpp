// Thread members joined by an override of a base class's virtual function:
// the base (a test framework's fixture, a service framework) calls its hooks
// in the object's lifecycle, so the join in the teardown hook runs before the
// object is destroyed. Shapes of GoogleTest fixtures (SetUp starts the server
// thread, TearDown stops and joins it).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <thread>
#include <vector>

void serve();
void stopServer();

namespace framework {
class Fixture {
public:
  virtual ~Fixture() = default;
  virtual void SetUp() {}
  virtual void TearDown() {}
};
} // namespace framework

// ---------------------------------------------------------------- negatives

class ServerFixture : public framework::Fixture {
protected:
  void SetUp() override { t_ = std::thread(serve); }
  void TearDown() override {
    stopServer();
    t_.join();
  }
  std::thread t_;
};

// Unqualified `virtual` on the override, helpers joining, a container of
// threads joined in a loop.
class RequestThreads : public framework::Fixture {
protected:
  virtual void SetUp() {
    server_ = std::thread(serve);
    for (int i = 0; i < 3; ++i)
      requests_.emplace_back(serve);
  }
  virtual void TearDown() {
    stopServer();
    for (auto &t : requests_)
      t.join();
    joinServer();
  }
  void joinServer() { server_.join(); }
  std::thread server_;
  std::vector<std::thread> requests_;
};

// The hook detaches instead of joining.
class DetachingFixture : public framework::Fixture {
protected:
  void SetUp() override { t_ = std::thread(serve); }
  void TearDown() override { t_.detach(); }
  std::thread t_;
};

// ---------------------------------------------------------------- positives

// A member function of the class's own that joins is not a hook anybody
// calls: the owner may forget it.
class OwnStop {
public:
  void start() { t_ = std::thread(serve); } // CHECK-NOTE: thread 't_' started here
  void stop() { t_.join(); }
  std::thread t_;
};
// CHECK-WARN@-6: the implicit destructor of 'OwnStop' does not join or detach thread member 't_' (std::terminate is called if it is joinable)
// CHECK-NOTE@-7: join or detach 't_' in the destructor

// The hook joins only on some paths.
class ConditionalTearDown : public framework::Fixture {
protected:
  void SetUp() override { t_ = std::thread(serve); } // CHECK-NOTE: thread 't_' started here
  void TearDown() override {
    if (stopped_)
      t_.join();
  }
  bool stopped_ = false;
  std::thread t_;
};
// CHECK-WARN@-10: the implicit destructor of 'ConditionalTearDown' does not join or detach thread member 't_' (std::terminate is called if it is joinable)
// CHECK-NOTE@-11: join or detach 't_' in the destructor

// An override that does not join, beside one that starts.
class HookWithoutJoin : public framework::Fixture {
protected:
  void SetUp() override { t_ = std::thread(serve); } // CHECK-NOTE: thread 't_' started here
  void TearDown() override { stopServer(); }
  std::thread t_;
};
// CHECK-WARN@-6: the implicit destructor of 'HookWithoutJoin' does not join or detach thread member 't_' (std::terminate is called if it is joinable)
// CHECK-NOTE@-7: join or detach 't_' in the destructor

// An override of a pure virtual function implements an interface: the owner
// calls stop() through it, and may forget to.
class Stoppable {
public:
  virtual ~Stoppable() = default;
  virtual void stop() = 0;
};
class InterfaceStop : public Stoppable {
public:
  InterfaceStop() : t_(serve) {} // CHECK-NOTE: thread 't_' started here
  void stop() override { t_.join(); }
  std::thread t_;
  int stops_ = 0;
};
// CHECK-WARN@-7: the implicit destructor of 'InterfaceStop' does not join or detach thread member 't_' (std::terminate is called if it is joinable)
// CHECK-NOTE@-8: join or detach 't_' in the destructor
