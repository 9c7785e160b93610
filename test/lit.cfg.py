# -*- Python -*-
# lit configuration shared by every suite under test/.
import os
import shutil

import lit.formats

config.name = "pitfall"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pitfall_obj_root, "test")

# Tests are independent of the caller's environment.
for var in ("PITFALL_TIDY_MODULE", "PITFALL_CLANG_TIDY"):
    config.environment.pop(var, None)
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, os.path.join(config.pitfall_obj_root, "bin"),
     config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["HOME"] = os.environ.get("HOME", "/tmp")
# scripts/sanitize: the sanitizer runtime, preloaded into every command so
# that the uninstrumented hosts (clang-tidy, clang) can load the instrumented
# module and plugin; lit itself runs without it.
sanitizer_runtime = os.environ.get("PITFALL_SANITIZER_RUNTIME")
if sanitizer_runtime:
    config.environment["LD_PRELOAD"] = sanitizer_runtime
    config.available_features.add("sanitizer")

tools = os.path.join(config.test_source_root, "tools")
inputs = os.path.join(config.test_source_root, "Inputs")

# %check_tidy FILE CHECKS [runner options] [-- compiler args]
#   runs clang-tidy with the module on FILE and asserts the CHECK-WARN /
#   CHECK-NOTE / CHECK-FIX annotations written in FILE (see tools/check-tidy.py).
config.substitutions.append(("%check_tidy",
    '"%s" "%s" --clang-tidy "%s" --module "%s"' % (
        config.python, os.path.join(tools, "check-tidy.py"),
        config.clang_tidy, config.tidy_module)))
# %scan_one FILE CHECKS [--option KEY=VALUE]... [-- compiler args]
#   runs pitfall-scan on FILE alone and prints its text report, severities
#   included (see tools/scan-one.py).
config.substitutions.append(("%scan_one",
    '"%s" "%s" --scan "%s"' % (
        config.python, os.path.join(tools, "scan-one.py"), config.pitfall_scan)))
config.substitutions.append(("%clang_tidy", '"%s"' % config.clang_tidy))
config.substitutions.append(("%tidy_module", '"%s"' % config.tidy_module))
config.substitutions.append(("%analyzer_plugin", '"%s"' % config.analyzer_plugin))
config.substitutions.append(("%pitfall_tidy", '"%s"' % config.pitfall_tidy))
config.substitutions.append(("%pitfall_scan", '"%s"' % config.pitfall_scan))
config.substitutions.append(("%pitfall_clangd", '"%s"' % config.pitfall_clangd))
config.substitutions.append(("%clangxx", '"%s"' % config.clangxx))
config.substitutions.append(("%python", '"%s"' % config.python))
config.substitutions.append(("%inputs", inputs))
config.substitutions.append(("%src_root", config.pitfall_src_root))
config.substitutions.append(("%obj_root", config.pitfall_obj_root))
config.substitutions.append(("%llvm_major", config.llvm_major))
config.substitutions.append(("%llvm_version", config.llvm_version))
# %analyze FILE [args]: clang++ --analyze with the plugin and pitfall's checkers.
config.substitutions.append(("%analyze",
    '"%s" --analyze -Xclang -load -Xclang "%s" -Xclang -analyzer-checker=core -Xclang -analyzer-checker=pitfall -Xclang -verify' % (
        config.clangxx, config.analyzer_plugin)))
config.substitutions.append(("FileCheck", '"%s"' % config.filecheck))

# Features tests can REQUIRE.
config.available_features.add("llvm-%s" % config.llvm_major)
if os.path.exists("/usr/include/asio.hpp"):
    config.available_features.add("asio")
if os.path.exists("/usr/include/boost/fiber/all.hpp"):
    config.available_features.add("boost-fiber")
if os.path.exists("/usr/include/boost/asio.hpp"):
    config.available_features.add("boost-asio")
if os.path.exists("/usr/include/boost/thread.hpp"):
    config.available_features.add("boost-thread")
if os.path.exists(config.pitfall_scan):
    config.available_features.add("pitfall-scan")
# Built unless configured with -DPITFALL_BUILD_CLANGD=OFF.
if config.build_clangd:
    config.available_features.add("pitfall-clangd")
if shutil.which("nvim"):
    config.available_features.add("nvim")
if shutil.which("lintian"):
    config.available_features.add("lintian")
if shutil.which("cpack") and shutil.which("dpkg-deb"):
    config.available_features.add("cpack-deb")
# Headless Chromium for the HTML report test (Debian's chromium package).
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
    # Chromium runs none of our code: without the sanitizer runtime (it
    # hangs under it).
    config.substitutions.append(("%chromium",
        ("env -u LD_PRELOAD " if sanitizer_runtime else "") + '"%s" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run '
        '--disable-background-networking --disable-component-update --disable-sync '
        '--user-data-dir=$(mktemp -d)' % chromium))
if os.path.exists(os.path.join(config.pitfall_obj_root, "unittests", "FlowTests")):
    config.available_features.add("flow-unittests")
if shutil.which("git"):
    config.available_features.add("git")
