// Giving freed heap memory back to the operating system.
#include "core/free_memory.h"

#include <cstddef>

#include <malloc.h>

// jemalloc's control interface. Weak: present only when the program links jemalloc
// (src/app/CMakeLists.txt), and null in the tests and sanitizer builds, which use glibc's.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_length, void* new_value,
                       std::size_t new_length) __attribute__((weak));

namespace starling::core {

namespace {
// "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages go back at once, rather
// than over the ten seconds of jemalloc's decay.
constexpr const char* kPurgeAllArenas = "arena.4096.purge";
} // namespace

void return_free_memory() {
  if (mallctl != nullptr) {
    (void)mallctl(kPurgeAllArenas, nullptr, nullptr, nullptr, 0);
    return;
  }
  (void)malloc_trim(0); // returns whether any memory was released; either way is fine
}

} // namespace starling::core
