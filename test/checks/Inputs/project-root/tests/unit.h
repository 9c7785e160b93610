// The project's own tests (its tests/ directory).
#pragma once
#include "../src/server.h"

inline void unitOpen() { listen(81); }
