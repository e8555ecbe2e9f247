# Test helpers, included only when BUILD_TESTING is on: GoogleTest comes in here, so building the
# exporter alone needs neither it nor any test tool.
find_package(GTest REQUIRED)
include(GoogleTest)

# gtest.h is about 40 % of a test file's compile time; every test reuses one precompiled copy.
option(TCORG_TEST_PCH "Precompile gtest.h once for all tests" ON)
if(TCORG_TEST_PCH)
  add_library(tcorg_test_pch STATIC ${PROJECT_SOURCE_DIR}/tests/test_pch.cpp)
  target_link_libraries(tcorg_test_pch PRIVATE GTest::gtest Threads::Threads)
  target_precompile_headers(tcorg_test_pch PRIVATE <gtest/gtest.h>)
endif()

# tcorg_add_test(<name> SOURCES ... LIBS ... [LABELS ...] [SERIAL]): one gtest binary, each test
# a ctest. SERIAL: timing-sensitive (pacing against a strict window), run with nothing beside it.
function(tcorg_add_test name)
  cmake_parse_arguments(T "SERIAL" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main Threads::Threads)
  if(TCORG_TEST_PCH)
    target_precompile_headers(${name} REUSE_FROM tcorg_test_pch)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # From a precompiled header libstdc++ no longer counts as a system header, so GCC 12's
      # known false positives inside std::string (PR 105329, 105651) surface in every test.
      # The clang builds still check the tests with these warnings on.
      target_compile_options(${name} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-restrict)
    endif()
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${T_LABELS}"
                       RUN_SERIAL ${T_SERIAL})
endfunction()
