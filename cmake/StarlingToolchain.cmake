# Compiler settings shared by every target: warnings, sanitizers, ccache, clang quirks.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

add_library(starling_build_flags INTERFACE)
target_compile_options(starling_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(STARLING_WERROR)
  target_compile_options(starling_build_flags INTERFACE -Werror)
endif()

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(starling_build_flags INTERFACE
    -include "${PROJECT_SOURCE_DIR}/cmake/clang_libstdcxx_expected.h")
endif()

if(STARLING_SANITIZE)
  set(sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(starling_build_flags INTERFACE ${sanitize_flags})
  target_link_options(starling_build_flags INTERFACE ${sanitize_flags})
endif()
