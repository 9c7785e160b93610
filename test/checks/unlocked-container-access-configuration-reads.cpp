// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// An accessor returning a configuration value without the lock its setter
// takes: the member is only ever replaced whole (`path_ = value;`), and the
// unlocked read is the value a getter returns (by copy or by reference).
// A maintainer dismisses it: configuration is read where it was set, and a
// reference handed out cannot be guarded here anyway. Not reported by
// default (option ReportUnlockedConfigurationReads,
// unlocked-container-access-configuration-reads-report.cpp).
#include <mutex>
#include <string>
#include <vector>

void write(const std::string &, const std::string &);

class Channel {
public:
  void setProperty(const std::string &name, const std::string &value) {
    std::lock_guard<std::mutex> l(mu_);
    if (name == "path")
      path_ = value;
    else if (name == "times")
      times_ = value;
  }
  void log(const std::string &m) {
    std::lock_guard<std::mutex> l(mu_);
    write(path_ + times_, m);
  }
  void rotate() {
    std::lock_guard<std::mutex> l(mu_);
    write(path_, times_);
  }
  // Not flagged: getters of configuration values.
  std::string getProperty(const std::string &name) const {
    if (name == "path")
      return path_;
    if (name == "times")
      return times_;
    return {};
  }
  const std::string &path() const { return path_; }
  // The same value read through the reference getter.
  void show() const { write(path(), "show"); }

  // Still flagged: an unlocked read that is not what a getter returns.
  void dump() const {
    // CHECK-WARN@+4: container 'path_' is read without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+3: hold 'mu_' for this statement
    // CHECK-NOTE@-28: 'path_' is modified under 'mu_' here
    // CHECK-FIX: std::scoped_lock lock(mu_); write(path_, "dump");
    write(path_, "dump");
  }

private:
  mutable std::mutex mu_;
  std::string path_;
  std::string times_;
};

// Still flagged: a getter of a collection the other functions change in
// place (push_back, clear) under the lock: a copy made while another
// thread appends is a real race.
class Registry {
public:
  void add(int v) {
    std::lock_guard<std::mutex> l(mu_);
    items_.push_back(v);
  }
  void clear() {
    std::lock_guard<std::mutex> l(mu_);
    items_.clear();
  }
  std::vector<int> items() const {
    // CHECK-WARN@+4: container 'items_' is read without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+3: hold 'mu_' for this statement
    // CHECK-NOTE@-9: 'items_' is modified under 'mu_' here
    // CHECK-FIX: std::scoped_lock lock(mu_); return items_;
    return items_;
  }

private:
  mutable std::mutex mu_;
  std::vector<int> items_;
};

// Still flagged: a member replaced whole but also appended to is no
// configuration value.
class Labels {
public:
  void set(const std::string &s) {
    std::lock_guard<std::mutex> l(mu_);
    name_ = s;
  }
  void append(const std::string &s) {
    std::lock_guard<std::mutex> l(mu_);
    name_ += s;
  }
  std::string name() const {
    // CHECK-WARN@+4: container 'name_' is read without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+3: hold 'mu_' for this statement
    // CHECK-NOTE@-9: 'name_' is modified under 'mu_' here
    // CHECK-FIX: std::scoped_lock lock(mu_); return name_;
    return name_;
  }

private:
  mutable std::mutex mu_;
  std::string name_;
};
