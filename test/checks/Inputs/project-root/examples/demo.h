// The project's example program.
#pragma once
#include "../src/server.h"

inline void demoOpen() { listen(82); }
