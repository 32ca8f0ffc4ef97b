// Creates and reuses the self-signed certificate of the TLS ports (see the header).
#include "net/self_signed_certificate.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include "net/tls_openssl_handles.h"

namespace starling::net {

namespace {

namespace fs = std::filesystem;
using detail::take_openssl_error;

std::unexpected<TlsError> fail(std::string message) {
  return std::unexpected(TlsError{std::move(message)});
}

bool is_ip_literal(std::string_view name) {
  std::array<unsigned char, 16> scratch{};
  const std::string text(name);
  return inet_pton(AF_INET, text.c_str(), scratch.data()) == 1 ||
         inet_pton(AF_INET6, text.c_str(), scratch.data()) == 1;
}

// Letters, digits, '-' and '.' (RFC 1123); anything else is left out of the SAN rather than
// put into a certificate that clients would reject as malformed.
bool is_dns_name(std::string_view name) {
  constexpr std::size_t kMaxDnsName = 253;
  if (name.empty() || name.size() > kMaxDnsName || name.front() == '.' || name.front() == '-') {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string subject_alt_names(std::string_view hostname) {
  std::string names = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (hostname == "localhost" || hostname == "127.0.0.1" || hostname == "::1") {
    return names;
  }
  if (is_ip_literal(hostname)) {
    return fmt::format("IP:{},{}", hostname, names);
  }
  if (is_dns_name(hostname)) {
    return fmt::format("DNS:{},{}", hostname, names);
  }
  return names;
}

std::expected<detail::EvpPkeyPtr, TlsError> generate_p256_key() {
  detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
      EVP_PKEY_generate(ctx.get(), &key) <= 0) {
    return fail("cannot generate an EC P-256 key: " + take_openssl_error());
  }
  return detail::EvpPkeyPtr(key);
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const detail::X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool set_random_serial(X509* cert) {
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; 159 random bits keep it positive.
  constexpr int kSerialBits = 159;
  const detail::BignumPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) {
    return false;
  }
  const detail::Asn1IntegerPtr asn1(BN_to_ASN1_INTEGER(serial.get(), nullptr));
  return asn1 && X509_set_serialNumber(cert, asn1.get()) == 1;
}

bool set_names(X509* cert, std::string_view hostname) {
  const std::string common_name =
      is_dns_name(hostname) || is_ip_literal(hostname) ? std::string(hostname) : "localhost";
  X509_NAME* name = X509_get_subject_name(cert);
  const auto add = [name](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                      0) == 1;
  };
  return add("O", "Starling (self-signed)") && add("CN", common_name) &&
         X509_set_issuer_name(cert, name) == 1;
}

bool set_validity(X509* cert) {
  constexpr long kBackdate = -3600; // tolerate phones whose clock is a little behind
  const auto validity = std::chrono::duration_cast<std::chrono::seconds>(kSelfSignedValidity);
  return X509_gmtime_adj(X509_getm_notBefore(cert), kBackdate) != nullptr &&
         X509_gmtime_adj(X509_getm_notAfter(cert), validity.count()) != nullptr;
}

std::expected<std::string, TlsError> to_pem(const auto& write) {
  const detail::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) {
    return fail("cannot encode PEM: " + take_openssl_error());
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::expected<std::string, TlsError> read_file(const fs::path& path) {
  const detail::BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return fail(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  }
  std::string text;
  std::array<char, 4096> chunk{};
  int n = 0;
  while ((n = BIO_read(bio.get(), chunk.data(), static_cast<int>(chunk.size()))) > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return text;
}

// Whether the certificate in `pem` is still valid for kSelfSignedRenewBefore.
bool valid_for_a_while(const std::string& pem) {
  const detail::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const detail::X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)
                                 : nullptr);
  ERR_clear_error();
  if (!cert) {
    return false;
  }
  const auto renew = std::chrono::duration_cast<std::chrono::seconds>(kSelfSignedRenewBefore);
  std::time_t horizon = std::time(nullptr) + renew.count();
  return X509_cmp_time(X509_get0_notAfter(cert.get()), &horizon) > 0;
}

// Written to a temporary name with `mode` from the start, then renamed, so a crash never
// leaves half a key or a world-readable key behind.
std::expected<void, TlsError> write_file(const fs::path& path, const std::string& text,
                                         mode_t mode) {
  const fs::path temporary = fs::path(path).concat(".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return fail(fmt::format("cannot create {}: {}", temporary.string(), std::strerror(errno)));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      return fail(fmt::format("cannot write {}: {}", temporary.string(), std::strerror(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  // An existing file keeps its mode through O_TRUNC; force ours.
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    return fail(fmt::format("cannot write {}: {}", temporary.string(), std::strerror(errno)));
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    return fail(fmt::format("cannot rename {} to {}: {}", temporary.string(), path.string(),
                            error.message()));
  }
  return {};
}

} // namespace

std::expected<SelfSignedPem, TlsError> create_self_signed_certificate(std::string_view hostname) {
  auto key = generate_p256_key();
  if (!key) {
    return std::unexpected(key.error());
  }
  const detail::X509Ptr cert(X509_new());
  const bool built = cert && X509_set_version(cert.get(), 2) == 1 &&
                     set_random_serial(cert.get()) && set_validity(cert.get()) &&
                     X509_set_pubkey(cert.get(), key->get()) == 1 &&
                     set_names(cert.get(), hostname) &&
                     add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                     add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
                     add_extension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth") &&
                     add_extension(cert.get(), NID_subject_key_identifier, "hash") &&
                     add_extension(cert.get(), NID_subject_alt_name, subject_alt_names(hostname)) &&
                     X509_sign(cert.get(), key->get(), EVP_sha256()) > 0;
  if (!built) {
    return fail("cannot build the self-signed certificate: " + take_openssl_error());
  }
  auto cert_pem = to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  auto key_pem = to_pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key->get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!cert_pem) {
    return std::unexpected(cert_pem.error());
  }
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  return SelfSignedPem{std::move(*cert_pem), std::move(*key_pem)};
}

std::expected<CertificateFiles, TlsError>
ensure_self_signed_certificate(const fs::path& directory, std::string_view hostname) {
  CertificateFiles files{directory / kSelfSignedCertificateName, directory / kSelfSignedKeyName};
  std::error_code error;
  const bool have_cert = fs::exists(files.certificate_chain_file, error);
  const bool have_key = fs::exists(files.private_key_file, error);
  if (have_cert && have_key) {
    auto pem = read_file(files.certificate_chain_file);
    if (!pem) {
      return std::unexpected(pem.error());
    }
    if (valid_for_a_while(*pem)) {
      return files;
    }
  }
  fs::create_directories(directory, error);
  if (error) {
    return fail(fmt::format("cannot create the directory {} for the self-signed TLS "
                            "certificate: {}",
                            directory.string(), error.message()));
  }
  auto pem = create_self_signed_certificate(hostname);
  if (!pem) {
    return std::unexpected(pem.error());
  }
  constexpr mode_t kKeyMode = 0600;
  constexpr mode_t kCertificateMode = 0644;
  // Key first: a certificate on disk always has its key next to it.
  if (auto written = write_file(files.private_key_file, pem->private_key, kKeyMode); !written) {
    return std::unexpected(written.error());
  }
  if (auto written = write_file(files.certificate_chain_file, pem->certificate, kCertificateMode);
      !written) {
    return std::unexpected(written.error());
  }
  files.created = true;
  return files;
}

} // namespace starling::net
