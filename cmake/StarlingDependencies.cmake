# Third-party libraries, all from Debian 12 packages (scripts/setup-debian.sh installs them).

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS headers json url)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(EXPAT REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(cares REQUIRED IMPORTED_TARGET libcares)
# The sanitizers bring their own allocator, which must see every allocation.
if(STARLING_JEMALLOC AND NOT STARLING_SANITIZE)
  pkg_check_modules(jemalloc REQUIRED IMPORTED_TARGET jemalloc)
endif()

find_package(CLI11 CONFIG REQUIRED)

find_package(GTest REQUIRED)
# Integration tests use clients from Debian's python3 packages (slixmpp), which only Debian's
# interpreter sees; another python3 earlier in PATH must not be picked.
if(EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
