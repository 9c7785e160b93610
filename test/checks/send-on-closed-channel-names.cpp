// RUN: %check_tidy %s pitfall-send-on-closed-channel -- -std=c++20
// Classes recognised by their name (MatchChannelNames, on by default): a
// class named like a channel with a close() callable with no argument.
class WorkChannel {
public:
  bool send(int);
  void close();
};

// close(int how = 0): a defaulted parameter.
class TimedChannel {
public:
  bool send(int);
  void close(int how = 0);
};

void work(WorkChannel &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void timed(TimedChannel &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// GOOD: a service that closes the implementation it is given (asio's
// channel_service shape): closing one channel's state leaves the service,
// and every other channel it serves, usable.
struct ChannelImpl {
  bool open = true;
};
class ChannelService {
public:
  void close(ChannelImpl &impl) { impl.open = false; }
  bool send(ChannelImpl &impl, int) { return impl.open; }
};
void service(ChannelService &svc, ChannelImpl &a, ChannelImpl &b) {
  svc.close(a);
  (void)svc.send(b, 1);
}

// GOOD: the same with a member template.
class channel_service {
public:
  template <typename Impl> void close(Impl &impl) { impl.open = false; }
  template <typename Impl> bool send(Impl &impl, int) { return impl.open; }
};
void templated_service(channel_service &svc, ChannelImpl &a, ChannelImpl &b) {
  svc.close(a);
  (void)svc.send(b, 1);
}
