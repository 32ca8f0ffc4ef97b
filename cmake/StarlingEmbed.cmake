# starling_embed_files: compile files (the web UI's built assets) into a static library.

set(STARLING_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/starling_embed.py")

# starling_embed_files(TARGET lib FUNCTION ns::function BASE_DIR dir
#                      [FILES abs paths...] [DEPENDS targets...])
# builds static library `lib` defining
#   std::span<const starling::http::EmbeddedFile> ns::function();
# (http/embedded_file.h; callers declare the function themselves). Each file is stored with
# its gzip form (level 9, no timestamp: the build is reproducible). With FILES, the source is
# regenerated when one of them changes; without FILES, every file under BASE_DIR is embedded
# and the directory is scanned on every build (for generated directories such as a bundler's
# output, whose file names carry content hashes). DEPENDS: targets that produce the files.
function(starling_embed_files)
  cmake_parse_arguments(arg "" "TARGET;FUNCTION;BASE_DIR" "FILES;DEPENDS" ${ARGN})
  if(NOT arg_TARGET OR NOT arg_FUNCTION OR NOT arg_BASE_DIR)
    message(FATAL_ERROR "starling_embed_files: TARGET, FUNCTION and BASE_DIR are required")
  endif()
  set(source "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}_embedded.cpp")
  set(command "${Python3_EXECUTABLE}" "${STARLING_EMBED_SCRIPT}" "${source}" "${arg_FUNCTION}"
              "${arg_BASE_DIR}" ${arg_FILES})
  if(arg_FILES)
    add_custom_command(OUTPUT "${source}"
      COMMAND ${command}
      DEPENDS ${arg_FILES} ${arg_DEPENDS} "${STARLING_EMBED_SCRIPT}"
      COMMENT "Embedding files for ${arg_TARGET}" VERBATIM)
  else()
    # Always runs; the script rewrites the source only when its content changes, and the
    # BYPRODUCTS declaration lets Ninja skip the recompile when it did not.
    add_custom_target(${arg_TARGET}_scan
      COMMAND ${command}
      BYPRODUCTS "${source}"
      DEPENDS "${STARLING_EMBED_SCRIPT}"
      COMMENT "Embedding ${arg_BASE_DIR} for ${arg_TARGET}" VERBATIM)
    if(arg_DEPENDS)
      add_dependencies(${arg_TARGET}_scan ${arg_DEPENDS})
    endif()
  endif()
  add_library(${arg_TARGET} STATIC "${source}")
  target_include_directories(${arg_TARGET} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  if(NOT arg_FILES)
    add_dependencies(${arg_TARGET} ${arg_TARGET}_scan)
  elseif(arg_DEPENDS)
    add_dependencies(${arg_TARGET} ${arg_DEPENDS})
  endif()
endfunction()
