// RUN: %check_tidy %s pitfall-send-on-closed-channel -- -std=c++20
// A channel class with its own open() (or reopen()) beside close(): a
// resource that close() releases and open() makes again (Poco's FileChannel:
// close(); ...; open(); ...; close();). The reopen ends the closed state.
// When both bodies are visible, the reopen must re-create what close()
// releases: write a data member that close() writes.
struct File {
  void write(int);
};

// Bodies elsewhere (Poco's FileChannel in its tests' translation unit).
class FileChannel {
public:
  void open();
  void close();
  void write(int);
};

// Bodies visible: open() re-creates the file close() deletes.
class LogChannel {
public:
  void open() {
    if (!file_)
      file_ = new File;
  }
  void close() {
    delete file_;
    file_ = nullptr;
  }
  void write(int v) { file_->write(v); }

private:
  File *file_ = nullptr;
};

// Bodies visible: an open() that touches nothing close() releases does not
// reopen.
class StickyChannel {
public:
  void open() { ++opens_; }
  void close() { closed_ = true; }
  void write(int);

private:
  bool closed_ = false;
  int opens_ = 0;
};

// ---------------------------------------------------------------- negatives

void timing(FileChannel *pChannel) {
  for (int i = 0; i < 3; ++i)
    pChannel->write(i);
  pChannel->close();
  pChannel->open();
  for (int i = 0; i < 3; ++i)
    pChannel->write(i);
  pChannel->close();
}

void visible(LogChannel &ch) {
  ch.close();
  ch.open();
  ch.write(1);
  ch.close();
}

// ---------------------------------------------------------------- positives

// A real double close.
void twice(FileChannel &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch.close(); // CHECK-WARN: channel 'ch' may be closed twice
}

// Reopened on one path only.
void sometimes(FileChannel &ch, bool again) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  if (again)
    ch.open();
  ch.write(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// An open() that does not re-create what close() releases.
void sticky(StickyChannel &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch.open();
  ch.close(); // CHECK-WARN: channel 'ch' may be closed twice
}
