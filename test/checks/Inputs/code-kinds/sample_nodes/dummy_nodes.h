// A sample's nodes (ExamplePaths: sample_*).
#pragma once
#include "../src/server.h"

inline void dummyNode() { listen(1); }
