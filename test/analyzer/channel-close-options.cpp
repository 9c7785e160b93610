// The options of pitfall.ChannelClose, set with -analyzer-config.
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -verify=expected,default
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -verify=expected,default -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -verify=expected,custom \
// RUN:   -Xclang -analyzer-config -Xclang "pitfall.ChannelClose:ChannelTypes=::app::Pipe" \
// RUN:   -Xclang -analyzer-config -Xclang "pitfall.ChannelClose:SendMethods=enqueue;send" \
// RUN:   -Xclang -analyzer-config -Xclang pitfall.ChannelClose:MatchChannelNames=false

namespace app {
// Not named like a channel: a channel only through ChannelTypes.
class Pipe {
public:
  bool enqueue(int);
  bool send(int);
  void close();
};

// Named like a channel, with close(): a channel unless MatchChannelNames=false.
class EventChannel {
public:
  bool send(int);
  bool enqueue(int);
  void close();
};

// "chan" in "exchange" does not make a channel.
class Exchange {
public:
  bool send(int);
  void close();
};
} // namespace app

void pipe_enqueue(app::Pipe &p) {
  p.close();
  (void)p.enqueue(1); // custom-warning {{Send on closed channel}}
}

void pipe_send(app::Pipe &p) {
  p.close();
  (void)p.send(1); // custom-warning {{Send on closed channel}}
}

void event_channel(app::EventChannel &c) {
  c.close();
  (void)c.send(1); // default-warning {{Send on closed channel}}
}

void event_channel_enqueue(app::EventChannel &c) {
  c.close();
  (void)c.enqueue(1); // enqueue is not a default send method
}

void exchange(app::Exchange &x) {
  x.close();
  (void)x.send(1);
}
