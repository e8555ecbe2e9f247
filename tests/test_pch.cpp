// Owns the precompiled gtest.h that every test reuses (tests/CMakeLists.txt).
