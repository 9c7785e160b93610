#include "examples/demo.h"
#include "src/server.h"
#include "tests/unit.h"

int main() {
  openPort();
  unitOpen();
  demoOpen();
}
