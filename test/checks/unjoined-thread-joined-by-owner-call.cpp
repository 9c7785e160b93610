// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// A class whose member function joins its thread, called from outside the
// class (its owner's destructor, the code that stops it): the owner has
// taken over the join, as when it joins the member directly
// (`impl_->worker.join()`). What the member does decides, not its name.
#include <thread>

void work();

// --- Not flagged ---------------------------------------------------------

class Writer { // its owner calls Join()
public:
  Writer() : t_{&Writer::run, this} {}
  void Join() { t_.join(); }

private:
  void run() { work(); }
  std::thread t_;
};

class Sink {
public:
  ~Sink() { w_.Join(); }

private:
  Writer w_;
};

class Engine { // started and stopped by its owner, through helpers
public:
  void Start() { t_ = std::thread(work); }
  void Finish() { waitAll(); }

private:
  void waitAll() {
    if (t_.joinable())
      t_.join();
  }
  std::thread t_;
};

void runEngine() {
  Engine e;
  e.Start();
  work();
  e.Finish();
}

// --- Flagged -------------------------------------------------------------

class Lonely { // CHECK-WARN: the implicit destructor of 'Lonely' does not join or detach thread member 't_'
public:
  Lonely() : t_{work} {} // CHECK-NOTE: thread 't_' started here
  void Join() { t_.join(); } // nobody outside the class calls it

private:
  std::thread t_;
  int n_ = 0;
};
// CHECK-NOTE@-9: join or detach 't_' in the destructor

class Pinger { // CHECK-WARN: the implicit destructor of 'Pinger' does not join or detach thread member 't_'
public:
  Pinger() : t_{work} {} // CHECK-NOTE: thread 't_' started here
  void Ping() { work(); } // called from outside, but joins nothing
  bool Running() const { return t_.joinable(); }

private:
  std::thread t_;
  int n_ = 0;
};
// CHECK-NOTE@-10: join or detach 't_' in the destructor

class Maybe { // CHECK-WARN: the implicit destructor of 'Maybe' does not join or detach thread member 't_'
public:
  Maybe() : t_{work} {} // CHECK-NOTE: thread 't_' started here
  void Stop(bool now) {
    if (now)
      t_.join(); // only on some paths
  }

private:
  std::thread t_;
  int n_ = 0;
};
// CHECK-NOTE@-12: join or detach 't_' in the destructor

void usePinger() {
  Pinger p;
  p.Ping();
  Lonely l;
  Maybe m;
  m.Stop(true);
}
