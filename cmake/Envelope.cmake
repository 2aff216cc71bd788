# One static library per source folder, aliased envelope::<name>; tests registered beside it.
function(envelope_module name)
  cmake_parse_arguments(A "" "" "SRCS;DEPS" ${ARGN})
  add_library(envelope_${name} STATIC ${A_SRCS})
  add_library(envelope::${name} ALIAS envelope_${name})
  target_include_directories(envelope_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(envelope_${name} PUBLIC ${A_DEPS})
endfunction()

# A GoogleTest binary. Tests are discovered at run time, so ctest lists each case by name.
function(envelope_test name)
  # SERIAL: timing-sensitive load tests that must not share the CPUs with other tests.
  cmake_parse_arguments(A "SERIAL" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${A_SRCS})
  target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gmock GTest::gtest_main Threads::Threads)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src
                                             ${PROJECT_SOURCE_DIR})
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  set(serial FALSE)
  if(A_SERIAL)
    set(serial TRUE)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${A_LABELS}" RUN_SERIAL ${serial}
                       ENVIRONMENT "ENVELOPE_SOURCE_DIR=${PROJECT_SOURCE_DIR};ENVELOPE_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# A libFuzzer target (only with -DENVELOPE_FUZZ=ON and clang).
function(envelope_fuzz name)
  cmake_parse_arguments(A "" "" "SRCS;DEPS" ${ARGN})
  if(ENVELOPE_FUZZ)
    add_executable(${name} ${A_SRCS})
    target_link_libraries(${name} PRIVATE ${A_DEPS})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    # `cmake --build --preset fuzz --target fuzzers` builds every fuzz target and nothing else.
    if(NOT TARGET fuzzers)
      add_custom_target(fuzzers)
    endif()
    add_dependencies(fuzzers ${name})
  endif()
endfunction()
