// What an operator wants to know of a PEM certificate: who it is for, who signed it, expiry.
#include "net/certificate_info.h"

#include <cstdio>
#include <ctime>

#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "net/tls_openssl_handles.h"

namespace starling::net {

namespace {

using detail::take_openssl_error;

std::string name_text(const X509_NAME* name) {
  detail::BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

} // namespace

std::optional<CertificateInfo> certificate_info(X509& certificate) {
  std::tm expiry{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(&certificate), &expiry) != 1) {
    return std::nullopt;
  }
  // X509_get_extension_flags computes EXFLAG_SS: the issuer is the subject and, where the
  // certificate names key identifiers, they match (a CA would have signed it otherwise).
  const bool self_signed = (X509_get_extension_flags(&certificate) & EXFLAG_SS) != 0;
  return CertificateInfo{name_text(X509_get_subject_name(&certificate)),
                         name_text(X509_get_issuer_name(&certificate)), timegm(&expiry),
                         self_signed};
}

std::expected<CertificateInfo, TlsError> read_certificate_info(const std::filesystem::path& pem) {
  detail::BioPtr file(BIO_new_file(pem.c_str(), "r"));
  if (!file) {
    ERR_clear_error();
    return std::unexpected(
        TlsError{fmt::format("the certificate {} cannot be read", pem.string())});
  }
  detail::X509Ptr certificate(PEM_read_bio_X509(file.get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    return std::unexpected(TlsError{
        fmt::format("{} holds no PEM certificate ({})", pem.string(), take_openssl_error())});
  }
  auto info = certificate_info(*certificate);
  if (!info) {
    return std::unexpected(TlsError{fmt::format("{} has an unreadable expiry date", pem.string())});
  }
  return std::move(*info);
}

} // namespace starling::net
