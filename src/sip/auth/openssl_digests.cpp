// Hash algorithms fetched from OpenSSL's provider once per process.
#include "sip/auth/openssl_digests.h"

#include <stdexcept>
#include <string>

namespace starling::sip {

namespace {

const EVP_MD* fetch(const char* name) {
  const EVP_MD* digest = EVP_MD_fetch(nullptr, name, nullptr);
  if (digest == nullptr) {
    throw std::runtime_error(std::string("OpenSSL provides no ") + name);
  }
  return digest;
}

} // namespace

// Never freed: they live as long as OpenSSL's default provider, which is the process.
const EVP_MD* fetched_md5() {
  static const EVP_MD* const kMd5 = fetch("MD5");
  return kMd5;
}

const EVP_MD* fetched_sha256() {
  static const EVP_MD* const kSha256 = fetch("SHA256");
  return kSha256;
}

} // namespace starling::sip
