// TestPaths and ExamplePaths match the path components below the project's
// root: the nearest directory above the file holding `.git`,
// `.clang-tidy` or `compile_commands.json`. A project checked out under a
// directory named `tests` (a CI runner's work directory) is not test code
// as a whole; its own tests/ and examples/ directories are.
// Here the checkout is %t/tests/checkout (the project of Inputs/project-root).
// RUN: rm -rf %t && mkdir -p %t/tests && cp -r %S/Inputs/project-root %t/tests/checkout
//
// With the checkout's root marked (.git): only its own tests/ and examples/
// are test and example code; src/server.h's drop is reported.
// RUN: mkdir %t/tests/checkout/.git
// RUN: %scan_one %t/tests/checkout/main.cpp pitfall-ignored-error --header-filter checkout \
// RUN:   --option "pitfall-ignored-error.TestPaths=tests" \
// RUN:   --option "pitfall-ignored-error.ExamplePaths=examples" -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=ROOT --implicit-check-not="[pitfall-ignored-error]"
// ROOT: checkout/src/server.h:7:26: warning: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
//
// The same with a .clang-tidy file or a compilation database as the marker.
// RUN: rmdir %t/tests/checkout/.git && touch %t/tests/checkout/compile_commands.json
// RUN: %scan_one %t/tests/checkout/main.cpp pitfall-ignored-error --header-filter checkout \
// RUN:   --option "pitfall-ignored-error.TestPaths=tests" \
// RUN:   --option "pitfall-ignored-error.ExamplePaths=examples" -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=ROOT --implicit-check-not="[pitfall-ignored-error]"
//
// Without a marker in the checkout, the root is further up (or none): the
// `tests` directory the checkout sits in is a component below it, and the
// whole checkout is test code.
// RUN: rm %t/tests/checkout/compile_commands.json
// RUN: %scan_one %t/tests/checkout/main.cpp pitfall-ignored-error --header-filter checkout \
// RUN:   --option "pitfall-ignored-error.TestPaths=tests" \
// RUN:   --option "pitfall-ignored-error.ExamplePaths=examples" -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=NOROOT --allow-empty --implicit-check-not="[pitfall-ignored-error]"
// NOROOT-NOT: warning
//
// With the conventions off, every drop is production code's.
// RUN: mkdir %t/tests/checkout/.git
// RUN: %scan_one %t/tests/checkout/main.cpp pitfall-ignored-error --header-filter checkout -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=OFF --implicit-check-not="[pitfall-ignored-error]"
// OFF-DAG: checkout/src/server.h:7:26: warning: error result
// OFF-DAG: checkout/tests/unit.h:5:26: warning: error result
// OFF-DAG: checkout/examples/demo.h:5:26: warning: error result
