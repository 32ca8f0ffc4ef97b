// Force-included into every clang compile (fuzz builds, clang-tidy).
// libstdc++ 12 hides <expected> unless __cpp_concepts says P0848 (conditionally trivial
// special members) is there. Clang 16 implements P0848 but still reports 201907L.
#if defined(__clang__) && __cpp_concepts < 202002L
#undef __cpp_concepts
#define __cpp_concepts 202002L
#endif
