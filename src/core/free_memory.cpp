// Giving freed heap memory back to the operating system.
#include "core/free_memory.h"

#include <malloc.h>

namespace starling::core {

void return_free_memory() {
  (void)malloc_trim(0); // returns whether any memory was released; either way is fine
}

} // namespace starling::core
