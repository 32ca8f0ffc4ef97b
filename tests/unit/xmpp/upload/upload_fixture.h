// Uploads in a temporary folder on a hand-stepped clock, shared by the upload tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/metrics.h"
#include "xmpp/upload/uploads.h"

namespace starling::xmpp::upload {

inline constexpr std::uint64_t kMaxFileSize = 10000;
inline constexpr std::uint64_t kQuota = 25000;

class UploadFixture {
protected:
  UploadFixture() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "starling-upload-XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  UploadFixture(const UploadFixture&) = delete;
  UploadFixture& operator=(const UploadFixture&) = delete;
  ~UploadFixture() { std::filesystem::remove_all(root_); }

  [[nodiscard]] UploadSettings settings() const {
    UploadSettings settings;
    settings.directory = root_ / "xmpp-upload";
    settings.base_url = "https://pbx.example:8443";
    settings.max_file_size = kMaxFileSize;
    settings.quota = kQuota;
    settings.retention = std::chrono::days(30);
    return settings;
  }

  std::filesystem::path root_;
  core::ManualClock clock_;
  core::MetricsRegistry metrics_;
};

} // namespace starling::xmpp::upload
