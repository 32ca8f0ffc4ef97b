#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sip/registrar/store_binding_writer.h"
#include "store/open_store.h"

namespace starling::sip {
namespace {

TEST(StoreBindingWriter, SavesInOrderAndCompletesOnTheCallersIoContext) {
  const auto data_dir = std::filesystem::temp_directory_path() /
                        ("starling-writer-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(data_dir);
  auto store = std::move(*store::open_store({}, data_dir));
  boost::asio::io_context io;
  int completed = 0;
  {
    StoreBindingWriter writer(*store, io);
    for (int i = 0; i < 100; ++i) {
      store::Binding binding;
      binding.aor = "alice";
      binding.contact = fmt::format("sip:alice@host{}", i);
      writer.save({"alice", {binding}}, [&completed](bool saved) {
        EXPECT_TRUE(saved);
        ++completed;
      });
    }
  } // the destructor writes what is queued
  EXPECT_EQ(completed, 0) << "completions must run on the io_context, not the writer thread";
  io.run();
  EXPECT_EQ(completed, 100);
  const auto saved = store->list_bindings();
  ASSERT_EQ(saved->size(), 1U);
  EXPECT_EQ(saved->front().contact, "sip:alice@host99");
  store.reset();
  std::filesystem::remove_all(data_dir);
}

} // namespace
} // namespace starling::sip
