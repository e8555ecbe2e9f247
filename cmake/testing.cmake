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
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # Without a timestamp inside, the same header makes the same .pch, so ccache can reuse the
    # objects built on it (scripts/test; docs/decisions/0401-ci-build-cache.md).
    target_compile_options(tcorg_test_pch PRIVATE -Xclang -fno-pch-timestamp)
  endif()
endif()

# tcorg_add_test(<name> SOURCES ... LIBS ... [LABELS ...] [SERIAL]): the sources become the object
# library <name> (so a folder can still give it compile definitions, include directories and
# dependencies), and each gtest TEST a ctest with these LABELS. SERIAL: timing-sensitive (pacing
# against a strict window), run with nothing beside it.
#
# The object libraries of one folder that share LABELS and SERIAL are linked into one gtest binary,
# <folder>_<labels>[_serial]_tests, when the folder's CMakeLists has been read: a binary per test
# file meant 77 links of the same libraries and 77 test listings per build, a third of a
# sanitizer build's time. Test files of a folder therefore share a binary: keep their helpers in
# an anonymous namespace (a clash of two non-inline helpers is a link error, not a silent pick).
function(tcorg_add_test name)
  cmake_parse_arguments(T "SERIAL" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_library(${name} OBJECT ${T_SOURCES})
  target_link_libraries(${name} PUBLIC ${T_LIBS} GTest::gtest Threads::Threads)
  if(TCORG_TEST_PCH)
    target_precompile_headers(${name} REUSE_FROM tcorg_test_pch)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # From a precompiled header libstdc++ no longer counts as a system header, so GCC 12's
      # known false positives inside std::string (PR 105329, 105651) surface in every test.
      # The clang builds still check the tests with these warnings on.
      target_compile_options(${name} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-restrict)
    endif()
  endif()

  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "^tests/|/tests$" "" folder ${folder})  # tests/api -> api
  string(JOIN _ binary ${folder} ${T_LABELS})
  string(REGEX REPLACE "[^A-Za-z0-9_]" "_" binary ${binary})
  if(T_SERIAL)
    string(APPEND binary _serial)
  endif()
  string(APPEND binary _tests)
  get_directory_property(binaries TCORG_TEST_BINARIES)
  if(NOT binary IN_LIST binaries)
    set_property(DIRECTORY APPEND PROPERTY TCORG_TEST_BINARIES ${binary})
    set_property(DIRECTORY PROPERTY TCORG_TEST_${binary}_LABELS "${T_LABELS}")
    set_property(DIRECTORY PROPERTY TCORG_TEST_${binary}_SERIAL ${T_SERIAL})
  endif()
  set_property(DIRECTORY APPEND PROPERTY TCORG_TEST_${binary}_OBJECTS ${name})
  if(NOT binaries)
    cmake_language(DEFER CALL _tcorg_link_test_binaries)
  endif()
endfunction()

# Deferred to the end of a folder's CMakeLists by tcorg_add_test: one executable per binary name.
function(_tcorg_link_test_binaries)
  get_directory_property(binaries TCORG_TEST_BINARIES)
  foreach(binary IN LISTS binaries)
    get_directory_property(objects TCORG_TEST_${binary}_OBJECTS)
    get_directory_property(labels TCORG_TEST_${binary}_LABELS)
    get_directory_property(serial TCORG_TEST_${binary}_SERIAL)
    add_executable(${binary})
    target_link_libraries(${binary} PRIVATE ${objects} GTest::gtest_main Threads::Threads)
    foreach(object IN LISTS objects)
      # add_dependencies(<name> ...) in a folder (the exporter binary an integration test
      # starts) holds for the binary that runs it too.
      get_target_property(deps ${object} MANUALLY_ADDED_DEPENDENCIES)
      if(deps)
        add_dependencies(${binary} ${deps})
      endif()
      # So do libraries a folder links to <name> after the call, PRIVATE ones included.
      get_target_property(libs ${object} LINK_LIBRARIES)
      if(libs)
        target_link_libraries(${binary} PRIVATE ${libs})
      endif()
    endforeach()
    gtest_discover_tests(${binary} DISCOVERY_TIMEOUT 60 TEST_LIST ${binary}_TESTS
                         PROPERTIES RUN_SERIAL ${serial})
    # The labels in a file ctest reads after the discovered tests: gtest_discover_tests would
    # split a list of labels into properties of their own.
    set(label_file ${CMAKE_CURRENT_BINARY_DIR}/${binary}_labels.cmake)
    file(WRITE ${label_file} "if(${binary}_TESTS)\n"
         "  set_tests_properties(\${${binary}_TESTS} PROPERTIES LABELS \"${labels}\")\nendif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${label_file})
  endforeach()
endfunction()
