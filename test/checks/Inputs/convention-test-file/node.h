// Production code: a node library whose output ports report failure.
#pragma once
#include <string>

class Result {
public:
  static Result error(const char *m) { return Result(m); }
  static Result success() { return Result(nullptr); }
  bool ok() const { return msg_ == nullptr; }

private:
  explicit Result(const char *m) : msg_(m) {}
  const char *msg_;
};

class Node {
public:
  virtual ~Node() = default;
  virtual int tick() = 0;
  Result setOutput(const std::string &key, int value);
  Result record(const std::string &key);
};

// The library's own loop node drops setOutput once and checks it once; the
// code base's other nodes (the test file's) drop it: the project's
// convention, so the drop here is not reported.
class LoopNode : public Node {
public:
  int tick() override {
    setOutput("index", ++index_);
    return index_;
  }
  bool reset() { return setOutput("index", 0).ok(); }

  // record: dropped only by test cases' bodies, checked here: the drop
  // here is the deviant one.
  int mark() {
    record("mark"); // line 38
    return 0;
  }
  bool markChecked() { return record("mark").ok(); }

private:
  int index_ = 0;
};
