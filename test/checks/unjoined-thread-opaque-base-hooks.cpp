// A destructor that calls a member function of its base class defined in
// another translation unit (`Shutdown()`), in a class whose override of a
// virtual function of that base (`OnShutDown()`) joins the thread member:
// the base's function may call the hook, so the join is unknown here, not
// absent. Shape of opentelemetry-cpp's PeriodicExportingMetricReader (the
// base MetricReader's Shutdown() calls the virtual OnShutDown()).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <atomic>
#include <condition_variable>
#include <thread>

void work();

class Reader {
public:
  virtual ~Reader() = default;
  bool Shutdown() noexcept;   // elsewhere: sets the flag, calls OnShutDown()
  bool IsShutdown() const noexcept; // elsewhere
  void Init() noexcept;       // elsewhere: calls OnInitialized()

protected:
  virtual bool OnShutDown() noexcept = 0;
  virtual void OnInitialized() noexcept {}

private:
  std::atomic<bool> shutdown_{false};
};

class Unrelated {
public:
  void Stop() noexcept; // elsewhere, cannot call Reader's hooks
};

// ---------------------------------------------------------------- negatives

class PeriodicReader : public Reader {
public:
  ~PeriodicReader() override {
    if (!IsShutdown())
      Shutdown();
  }

private:
  void OnInitialized() noexcept override { worker_ = std::thread(work); }
  bool OnShutDown() noexcept override {
    if (worker_.joinable()) {
      cv_.notify_all();
      worker_.join();
    }
    return true;
  }
  std::condition_variable cv_;
  std::thread worker_;
};

// ---------------------------------------------------------------- positives

// The override does not join.
class NoJoinReader : public Reader {
public:
  // CHECK-WARN: the destructor of 'NoJoinReader' does not join or detach thread member 'worker_' (std::terminate is called if it is joinable)
  // CHECK-NOTE: join or detach 'worker_' in the destructor
  ~NoJoinReader() override {
    if (!IsShutdown())
      Shutdown();
  }

private:
  void OnInitialized() noexcept override { worker_ = std::thread(work); } // CHECK-NOTE: thread 'worker_' started here
  bool OnShutDown() noexcept override {
    cv_.notify_all();
    return true;
  }
  std::condition_variable cv_;
  std::thread worker_;
};

// The opaque function belongs to a base that declares no hook the joining
// override implements.
class OtherBaseReader : public Reader, public Unrelated {
public:
  // CHECK-WARN: the destructor of 'OtherBaseReader' does not join or detach thread member 'worker_' (std::terminate is called if it is joinable)
  // CHECK-NOTE: join or detach 'worker_' in the destructor
  ~OtherBaseReader() override { Stop(); }

private:
  void OnInitialized() noexcept override { worker_ = std::thread(work); } // CHECK-NOTE: thread 'worker_' started here
  bool OnShutDown() noexcept override {
    worker_.join();
    return true;
  }
  std::thread worker_;
};
