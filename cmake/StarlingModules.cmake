# One function per kind of target, so every module, test and fuzz target is built alike.

# starling_module(NAME SOURCES ... DEPENDS ... PRIVATE_DEPENDS ...) builds src/NAME as
# library starling_NAME. Headers are included as "NAME/header.h" from src/; DEPENDS are
# what its headers expose, PRIVATE_DEPENDS what only its sources use.
function(starling_module name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(starling_${name} STATIC ${arg_SOURCES})
  target_include_directories(starling_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(starling_${name}
    PUBLIC ${arg_DEPENDS}
    PRIVATE ${arg_PRIVATE_DEPENDS} starling_build_flags)
endfunction()

# starling_unit_test(NAME SOURCES ... DEPENDS ...) builds one GoogleTest binary and
# registers each of its tests with CTest (label "unit").
function(starling_unit_test name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_DEPENDS} GTest::gtest GTest::gtest_main
                                        starling_build_flags)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()

# starling_fuzz_target(NAME SOURCE ... DEPENDS ... CORPUS dir) builds a libFuzzer binary and
# a CTest entry that fuzzes it for a bounded time, starting from the seed corpus.
function(starling_fuzz_target name)
  cmake_parse_arguments(arg "" "CORPUS;SECONDS" "SOURCES;DEPENDS" ${ARGN})
  if(NOT STARLING_FUZZ)
    return()
  endif()
  if(NOT arg_SECONDS)
    set(arg_SECONDS 30)
  endif()
  add_executable(${name} ${arg_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${arg_DEPENDS} starling_build_flags)
  add_dependencies(fuzz_targets ${name})
  set(work_corpus "${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus")
  add_test(NAME fuzz.${name}
           COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                   $<TARGET_FILE:${name}> -max_total_time=${arg_SECONDS} -timeout=10
                   -rss_limit_mb=2048 -print_final_stats=1 ${work_corpus} ${arg_CORPUS})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 300)
  file(MAKE_DIRECTORY "${work_corpus}")
endfunction()

# starling_integration_test(NAME SCRIPT) runs a Python test script against the built binary.
function(starling_integration_test name script)
  add_test(NAME integration.${name}
           COMMAND ${Python3_EXECUTABLE} "${CMAKE_CURRENT_SOURCE_DIR}/${script}" -v)
  set_tests_properties(integration.${name} PROPERTIES
    LABELS integration TIMEOUT 600
    ENVIRONMENT "STARLING_BINARY=$<TARGET_FILE:starling>;PYTHONPATH=${PROJECT_SOURCE_DIR}/tests/integration")
endfunction()
