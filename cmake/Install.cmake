# ---------------------------------------------------------------------------
# Installation. Every artifact carries the LLVM major (the analyzer plugin the
# exact clang version, which the analyzer insists on), so pitfall for LLVM 19
# and for LLVM 22 install side by side. Component "pitfall":
#   bin/pitfall-tidy-19, bin/pitfall-scan-19, bin/pitfall-clangd-19
#   lib/pitfall/PitfallTidyModule-19.so, lib/pitfall/PitfallAnalyzerPlugin-19.1.7.so
#   share/doc/pitfall-llvm19/ (README, LICENSE, copyright, changelog, docs)
# Component "unversioned" (PITFALL_INSTALL_UNVERSIONED, on by default):
#   bin/pitfall-tidy -> pitfall-tidy-19, and so for pitfall-scan, pitfall-clangd
# The .deb (cpack -G DEB) carries component "pitfall" and provides the
# unversioned names through update-alternatives (cmake/deb/postinst.in), so
# that the packages for several LLVM majors can be installed together.
# ---------------------------------------------------------------------------
include(GNUInstallDirs)
option(PITFALL_INSTALL_UNVERSIONED
  "Install pitfall-tidy, pitfall-scan, pitfall-clangd as links to the names with the LLVM major" ON)
set(PITFALL_SUFFIX "-${PITFALL_LLVM_MAJOR}")
set(PITFALL_PACKAGE "pitfall-llvm${PITFALL_LLVM_MAJOR}")
set(PITFALL_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/${PITFALL_PACKAGE}")

# Binaries are installed with install(FILES/PROGRAMS ... RENAME), which does
# not strip: `cmake --install --strip` and cpack (CPACK_STRIP_FILES) strip them
# here.
function(pitfall_strip_on_install path)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-unneeded
        --remove-section=.comment --remove-section=.note \"${path}\")
    endif()" COMPONENT pitfall)
endfunction()
set(_pitfall_lib "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pitfall")
install(FILES "$<TARGET_FILE:PitfallTidyModule>"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pitfall"
  RENAME "PitfallTidyModule${PITFALL_SUFFIX}.so" COMPONENT pitfall)
pitfall_strip_on_install("${_pitfall_lib}/PitfallTidyModule${PITFALL_SUFFIX}.so")
install(FILES "$<TARGET_FILE:PitfallAnalyzerPlugin>"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pitfall"
  RENAME "PitfallAnalyzerPlugin-${LLVM_PACKAGE_VERSION}.so" COMPONENT pitfall)
pitfall_strip_on_install("${_pitfall_lib}/PitfallAnalyzerPlugin-${LLVM_PACKAGE_VERSION}.so")

# The executables are copied from the build tree, where they carry a RUNPATH
# to LLVM's libraries. Where the dynamic loader finds those anyway (Debian's
# LLVM packages put libclang-cpp and libLLVM in the multiarch directory), the
# installed copies drop it.
set(PITFALL_DROP_RUNPATH OFF)
file(GLOB _pitfall_clang_cpp "${LLVM_LIBRARY_DIR}/libclang-cpp.so.${PITFALL_LLVM_MAJOR}*")
if(_pitfall_clang_cpp)
  list(GET _pitfall_clang_cpp 0 _pitfall_clang_cpp)
  get_filename_component(_pitfall_clang_cpp "${_pitfall_clang_cpp}" REALPATH)
  get_filename_component(_pitfall_clang_cpp "${_pitfall_clang_cpp}" DIRECTORY)
  if(_pitfall_clang_cpp IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
    set(PITFALL_DROP_RUNPATH ON)
  endif()
endif()

set(PITFALL_INSTALLED_TOOLS pitfall-tidy)
foreach(tool pitfall-scan pitfall-clangd)
  if(TARGET ${tool})
    list(APPEND PITFALL_INSTALLED_TOOLS ${tool})
  endif()
endforeach()
set(_pitfall_bin "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}")
foreach(tool IN LISTS PITFALL_INSTALLED_TOOLS)
  install(PROGRAMS "$<TARGET_FILE:${tool}>" DESTINATION "${CMAKE_INSTALL_BINDIR}"
    RENAME "${tool}${PITFALL_SUFFIX}" COMPONENT pitfall)
  pitfall_strip_on_install("${_pitfall_bin}/${tool}${PITFALL_SUFFIX}")
  if(PITFALL_DROP_RUNPATH)
    install(CODE "file(RPATH_REMOVE FILE \"${_pitfall_bin}/${tool}${PITFALL_SUFFIX}\")"
      COMPONENT pitfall)
  endif()
  if(PITFALL_INSTALL_UNVERSIONED)
    install(CODE "
      message(STATUS \"Installing: ${_pitfall_bin}/${tool} -> ${tool}${PITFALL_SUFFIX}\")
      file(MAKE_DIRECTORY \"${_pitfall_bin}\")
      file(CREATE_LINK \"${tool}${PITFALL_SUFFIX}\" \"${_pitfall_bin}/${tool}\" SYMBOLIC)"
      COMPONENT unversioned)
  endif()
endforeach()

# Documentation, the licence, and the files Debian wants next to them.
string(TIMESTAMP PITFALL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
string(TIMESTAMP PITFALL_COPYRIGHT_YEAR "%Y" UTC)
set(PITFALL_PACKAGE_MAINTAINER "pitfall-tools <pitfall-tools@users.noreply.github.com>"
  CACHE STRING "Maintainer of the .deb (Debian's Maintainer field)")
configure_file(cmake/deb/copyright.in "${CMAKE_BINARY_DIR}/deb/copyright" @ONLY)
configure_file(cmake/deb/changelog.in "${CMAKE_BINARY_DIR}/deb/changelog" @ONLY)
execute_process(COMMAND gzip -9nc "${CMAKE_BINARY_DIR}/deb/changelog"
  OUTPUT_FILE "${CMAKE_BINARY_DIR}/deb/changelog.gz")
install(DIRECTORY docs/ DESTINATION "${PITFALL_DOC_DIR}" COMPONENT pitfall)
install(FILES README.md LICENSE "${CMAKE_BINARY_DIR}/deb/copyright"
  "${CMAKE_BINARY_DIR}/deb/changelog.gz"
  DESTINATION "${PITFALL_DOC_DIR}" COMPONENT pitfall)

# ---------------------------------------------------------------------------
# A .deb per LLVM major: `cpack -G DEB` in the build directory.
#
# Depends: the LLVM major, not one patch release. The tidy module, pitfall-scan
# and pitfall-clangd use libclang-cpp / libLLVM (dpkg-shlibdeps derives those)
# and clang-tidy's classes, whose ABI LLVM keeps within a major's releases.
# The analyzer plugin is the exception: clang loads it only if it is the very
# version it was built for, so that is a Suggests (and said in the
# description) rather than a Depends that would hold back clang's updates;
# pitfall-scan runs the same checkers without the plugin.
# ---------------------------------------------------------------------------
set(M "${PITFALL_LLVM_MAJOR}")
math(EXPR PITFALL_NEXT_MAJOR "${M} + 1")
set(_pitfall_slaves "")
foreach(tool IN LISTS PITFALL_INSTALLED_TOOLS)
  if(NOT tool STREQUAL "pitfall-scan")
    string(APPEND _pitfall_slaves
      " \\\n    --slave /usr/bin/${tool} ${tool} /usr/bin/${tool}${PITFALL_SUFFIX}")
  endif()
endforeach()
set(PITFALL_ALTERNATIVE_SLAVES "${_pitfall_slaves}")
configure_file(cmake/deb/postinst.in "${CMAKE_BINARY_DIR}/deb/postinst" @ONLY)
configure_file(cmake/deb/prerm.in "${CMAKE_BINARY_DIR}/deb/prerm" @ONLY)
configure_file(cmake/deb/postrm.in "${CMAKE_BINARY_DIR}/deb/postrm" @ONLY)

set(CPACK_PACKAGE_NAME "${PITFALL_PACKAGE}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${PITFALL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PITFALL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PITFALL_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Go-style concurrency and error checks for clang-tidy and clangd
pitfall finds the C++ forms of the concurrency and error-handling mistakes
known from Go: threads destroyed while joinable, tasks that can never be
cancelled, loop variables captured by reference into threads, latch counts
that never balance, containers shared without a lock, sends on closed
channels and dropped error results.
.
This package, built against LLVM ${LLVM_PACKAGE_VERSION}, provides
pitfall-tidy-${M} (clang-tidy-${M} with pitfall's checks), pitfall-scan-${M}
(one pass of the checks and of pitfall's path-sensitive analyzer checkers over
a compilation database, with SARIF, HTML and CI outputs) and
pitfall-clangd-${M} (clangd ${M} with pitfall's checks, for editors), and the
unversioned names through update-alternatives.
.
The Static Analyzer plugin lib/pitfall/PitfallAnalyzerPlugin-${LLVM_PACKAGE_VERSION}.so
loads only into clang ${LLVM_PACKAGE_VERSION}; pitfall-scan needs no plugin.")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "clang-tidy-${M} (>= 1:${M}~), clang-tidy-${M} (<< 1:${PITFALL_NEXT_MAJOR}~), libclang-common-${M}-dev (>= 1:${M}~), libclang-common-${M}-dev (<< 1:${PITFALL_NEXT_MAJOR}~)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
  "clang-${M} (>= 1:${LLVM_PACKAGE_VERSION}~), clang-${M} (<< 1:${LLVM_PACKAGE_VERSION}.0~)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${CMAKE_BINARY_DIR}/deb/postinst;${CMAKE_BINARY_DIR}/deb/prerm;${CMAKE_BINARY_DIR}/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Only component "pitfall": the unversioned names are alternatives.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL pitfall)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
include(CPack)
