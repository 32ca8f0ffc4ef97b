// The stream parser on expat: handlers build elements and check the limits; parsing
// suspends after each event, so events come one at a time and a restart loses nothing.
// Between stanzas an idle stream gives its expat parser back (most of a quiet client's
// memory) and builds a new one, in the same namespace context, when bytes come again.
#include "xmpp/xml/stream_parser.h"

#include <algorithm>
#include <climits>
#include <deque>
#include <new>
#include <utility>
#include <vector>

#include <expat.h>

#include "xmpp/xml/detail/unfinished_token.h"

// Expat 2.4.5 refuses the namespace separator inside a namespace URI (CVE-2022-25236);
// before that a peer could forge the split between namespace and local name.
static_assert(XML_MAJOR_VERSION * 10000 + XML_MINOR_VERSION * 100 + XML_MICRO_VERSION >= 20405,
              "expat 2.4.5 or later is required");

namespace starling::xmpp::xml {

namespace {

using enum StreamErrorCondition;

// Separates namespace name and local name in expat's expanded names. It cannot occur in an
// XML name, and expat refuses it in a namespace URI, so the split is unambiguous.
constexpr XML_Char kNamespaceSeparator = '\n';

// Bytes handed to expat per call. The size limit is checked between calls too, so an
// unfinished tag that expat buffers never exceeds the limit by more than this.
constexpr std::size_t kSliceSize = 4096;

// An unfinished token this long is not handed more bytes until they can finish it (see
// detail/unfinished_token.h); shorter ones cost little to rescan.
constexpr std::uint64_t kHoldBackFrom = 256;

constexpr std::string_view kTooLarge = "Element larger than the size limit";

struct ExpandedName {
  std::string_view ns;
  std::string_view local;
};

ExpandedName split_name(const XML_Char* name) {
  const std::string_view s(name);
  const auto at = s.find(kNamespaceSeparator);
  if (at == std::string_view::npos) {
    return {{}, s};
  }
  return {s.substr(0, at), s.substr(at + 1)};
}

bool is_whitespace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == s.npos;
}

bool is_utf8_name(std::string_view encoding) {
  return std::ranges::equal(encoding, std::string_view("utf-8"), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

// What expat's own errors mean for the stream (RFC 6120 §4.9.3).
StreamErrorCondition condition_for(XML_Error code) {
  switch (code) {
  // Without a DTD every entity but the five predefined ones is undefined (§11.1).
  case XML_ERROR_UNDEFINED_ENTITY:
  case XML_ERROR_PARAM_ENTITY_REF:
  case XML_ERROR_RECURSIVE_ENTITY_REF:
  case XML_ERROR_BINARY_ENTITY_REF:
  case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
  case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
  case XML_ERROR_NOT_STANDALONE:
  case XML_ERROR_ENTITY_DECLARED_IN_PE:
  case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
    return restricted_xml;
  case XML_ERROR_UNKNOWN_ENCODING:
  case XML_ERROR_INCORRECT_ENCODING:
    return unsupported_encoding;
  case XML_ERROR_UNBOUND_PREFIX:
    return bad_namespace_prefix;
  case XML_ERROR_NO_MEMORY:
    return resource_constraint;
  default:
    return not_well_formed;
  }
}

} // namespace

struct StreamParser::State {
  enum class Phase : std::uint8_t { before_header, open, closed, failed };

  explicit State(ParserSettings s);
  ~State() { XML_ParserFree(parser); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;

  void create_parser();
  bool parse_more();
  [[nodiscard]] bool idle() const;
  void release_parser();
  void rebuild_parser();
  std::size_t next_length();
  void hold_back_if_stuck();
  void compact();

  // Expat counts bytes from its own start, the replayed header of a rebuilt parser.
  std::uint64_t stream_offset(XML_Index at) const {
    return static_cast<std::uint64_t>(at + expat_origin);
  }
  std::uint64_t event_start() const {
    const XML_Index at = XML_GetCurrentByteIndex(parser);
    return at < 0 ? handed : stream_offset(at);
  }
  std::uint64_t event_end() const {
    return event_start() + static_cast<std::uint64_t>(std::max(XML_GetCurrentByteCount(parser), 0));
  }
  bool too_large(std::uint64_t end) const {
    return end > mark && end - mark > settings.max_element_size;
  }

  void record_error(StreamErrorCondition condition, std::string_view reason,
                    std::uint64_t offset) noexcept {
    error = ParseError{condition, reason, offset};
    phase = Phase::failed;
  }
  // From a handler: records the error and aborts the parse.
  void fail(StreamErrorCondition condition, std::string_view reason) noexcept {
    record_error(condition, reason, event_start());
    XML_StopParser(parser, XML_FALSE);
  }
  // From a handler: queues an event that ends at `end` and suspends the parse after it.
  void emit(Event event, std::uint64_t end) {
    events.push_back(std::move(event));
    mark = end;
    if (!suspending) {
      suspending = true;
      XML_StopParser(parser, XML_TRUE);
    }
  }

  void on_xml_declaration(const XML_Char* encoding);
  void on_start_namespace(const XML_Char* prefix, const XML_Char* uri);
  void on_start_element(const XML_Char* name, const XML_Char** attributes);
  void on_stream_header(ExpandedName name, const XML_Char** attributes, std::size_t count);
  void on_end_element();
  void on_character_data(std::string_view text);

  // Expat calls C functions; these catch everything so no exception crosses expat's frames.
  template <typename Body> static void guard(void* user, Body body) noexcept {
    State& state = *static_cast<State*>(user);
    if (state.phase == Phase::failed || state.phase == Phase::closed) {
      return; // expat may still call a handler or two after a stop
    }
    try {
      body(state);
    } catch (const std::bad_alloc&) {
      state.fail(resource_constraint, "Out of memory");
    } catch (...) {
      state.fail(internal_server_error, "Unexpected exception in the XML parser");
    }
  }
  static void XMLCALL xml_declaration(void* user, const XML_Char* /*version*/,
                                      const XML_Char* encoding, int /*standalone*/) {
    guard(user, [&](State& s) { s.on_xml_declaration(encoding); });
  }
  static void XMLCALL start_namespace(void* user, const XML_Char* prefix, const XML_Char* uri) {
    guard(user, [&](State& s) { s.on_start_namespace(prefix, uri); });
  }
  static void XMLCALL start_element(void* user, const XML_Char* name, const XML_Char** attributes) {
    guard(user, [&](State& s) { s.on_start_element(name, attributes); });
  }
  static void XMLCALL end_element(void* user, const XML_Char* /*name*/) {
    guard(user, [](State& s) { s.on_end_element(); });
  }
  static void XMLCALL character_data(void* user, const XML_Char* text, int length) {
    guard(user, [&](State& s) {
      s.on_character_data({text, static_cast<std::size_t>(std::max(length, 0))});
    });
  }
  // RFC 6120 §11.1: no DTD (and so no entity declarations: no billion laughs), no comments,
  // no processing instructions. Expat reports the DOCTYPE at its name, before any subset.
  static void XMLCALL doctype(void* user, const XML_Char* /*name*/, const XML_Char* /*system*/,
                              const XML_Char* /*public_id*/, int /*has_internal_subset*/) {
    guard(user, [](State& s) { s.fail(restricted_xml, "DTD (RFC 6120 §11.1)"); });
  }
  static void XMLCALL entity_declaration(void* user, const XML_Char* /*name*/, int /*parameter*/,
                                         const XML_Char* /*value*/, int /*length*/,
                                         const XML_Char* /*base*/, const XML_Char* /*system*/,
                                         const XML_Char* /*public_id*/,
                                         const XML_Char* /*notation*/) {
    guard(user, [](State& s) { s.fail(restricted_xml, "Entity declaration (RFC 6120 §11.1)"); });
  }
  static void XMLCALL comment(void* user, const XML_Char* /*text*/) {
    guard(user, [](State& s) { s.fail(restricted_xml, "Comment (RFC 6120 §11.1)"); });
  }
  static void XMLCALL processing_instruction(void* user, const XML_Char* /*target*/,
                                             const XML_Char* /*data*/) {
    guard(user,
          [](State& s) { s.fail(restricted_xml, "Processing instruction (RFC 6120 §11.1)"); });
  }
  static void XMLCALL skipped_entity(void* user, const XML_Char* /*name*/, int /*parameter*/) {
    guard(user, [](State& s) { s.fail(restricted_xml, "Entity reference (RFC 6120 §11.1)"); });
  }
  // Never load anything: expat turns the refusal into XML_ERROR_EXTERNAL_ENTITY_HANDLING.
  static int XMLCALL external_entity(XML_Parser /*parser*/, const XML_Char* /*context*/,
                                     const XML_Char* /*base*/, const XML_Char* /*system*/,
                                     const XML_Char* /*public_id*/) {
    return XML_STATUS_ERROR;
  }

  ParserSettings settings;
  XML_Parser parser = nullptr; // null while idle (release_parser)
  Phase phase = Phase::before_header;
  // The stream header's start tag as the peer wrote it: fed to a rebuilt parser, it binds
  // the same prefixes and default namespace, and the same name for </stream:stream>.
  std::string header_tag;
  std::int64_t expat_origin = 0; // the stream offset of expat's byte 0
  bool replaying = false;        // expat is reading header_tag again
  std::string pending;           // bytes fed, from stream offset `base` on
  std::uint64_t base = 0;
  std::uint64_t handed = 0;  // stream offset up to which bytes went to expat
  std::uint64_t mark = 0;    // end of the last event or of whitespace between elements
  std::uint64_t tag_end = 0; // end of the last start tag
  bool suspending = false;   // a handler stopped expat during the current call
  bool suspended = false;    // expat holds the rest of a slice until resumed
  std::optional<std::string> header_default_namespace; // declared on the stream header
  std::vector<Element> open_elements; // the top-level element being read, and its open children
  std::deque<Event> events;
  std::optional<ParseError> error;
  // While expat holds a large unfinished token: its scanner, and how far it has read.
  std::optional<detail::UnfinishedToken> unfinished;
  std::uint64_t scanned = 0;
};

StreamParser::State::State(ParserSettings s) : settings(std::move(s)) {
  create_parser();
}

void StreamParser::State::create_parser() {
  parser = XML_ParserCreateNS("UTF-8", kNamespaceSeparator);
  if (parser == nullptr) {
    throw std::bad_alloc();
  }
  XML_SetUserData(parser, this);
  XML_SetXmlDeclHandler(parser, xml_declaration);
  XML_SetStartNamespaceDeclHandler(parser, start_namespace);
  XML_SetElementHandler(parser, start_element, end_element);
  XML_SetCharacterDataHandler(parser, character_data);
  XML_SetStartDoctypeDeclHandler(parser, doctype);
  XML_SetEntityDeclHandler(parser, entity_declaration);
  XML_SetCommentHandler(parser, comment);
  XML_SetProcessingInstructionHandler(parser, processing_instruction);
  XML_SetSkippedEntityHandler(parser, skipped_entity);
  XML_SetExternalEntityRefHandler(parser, external_entity);
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

// The parser was created for UTF-8 whatever the document says, so the declaration is
// checked here (RFC 6120 §11.6: UTF-8 only).
void StreamParser::State::on_xml_declaration(const XML_Char* encoding) {
  if (encoding != nullptr && !is_utf8_name(encoding)) {
    fail(unsupported_encoding, "Encoding other than UTF-8 (RFC 6120 §11.6)");
  }
}

// Expat reports an element's declarations just before the element.
void StreamParser::State::on_start_namespace(const XML_Char* prefix, const XML_Char* uri) {
  if (phase == Phase::before_header && prefix == nullptr) {
    header_default_namespace = uri == nullptr ? "" : uri;
  }
}

void StreamParser::State::on_start_element(const XML_Char* name, const XML_Char** attributes) {
  if (replaying) {
    return; // the header, checked and reported when it first came
  }
  tag_end = event_end();
  std::size_t count = 0;
  while (attributes[2 * count] != nullptr) {
    ++count;
  }
  if (count > settings.max_attributes) {
    return fail(policy_violation, "Too many attributes on an element");
  }
  if (too_large(tag_end)) {
    return fail(policy_violation, kTooLarge);
  }
  const ExpandedName expanded = split_name(name);
  if (phase == Phase::before_header) {
    return on_stream_header(expanded, attributes, count);
  }
  if (open_elements.size() >= settings.max_depth) {
    return fail(policy_violation, "Elements nested too deep");
  }
  Element element(expanded.ns, expanded.local);
  for (std::size_t i = 0; i < count; ++i) {
    const ExpandedName attribute = split_name(attributes[2 * i]);
    element.set_attribute(attribute.ns, attribute.local, attributes[2 * i + 1]);
  }
  open_elements.push_back(std::move(element));
}

void StreamParser::State::on_stream_header(ExpandedName name, const XML_Char** attributes,
                                           std::size_t count) {
  // RFC 6120 §4.8.1: the root is <stream/> in the stream namespace, whatever its prefix.
  if (name.ns != kStreamNamespace) {
    return fail(invalid_namespace, "Stream header not in the stream namespace (RFC 6120 §4.8.1)");
  }
  if (name.local != "stream") {
    return fail(bad_format, "Root element is not <stream:stream/> (RFC 6120 §4.7)");
  }
  // RFC 6120 §4.8.2, §4.9.3.10: a declared content namespace must be the one we serve.
  if (header_default_namespace && *header_default_namespace != settings.content_namespace) {
    return fail(invalid_namespace, "Unsupported content namespace (RFC 6120 §4.8.2)");
  }
  StreamHeader header;
  header.content_namespace = header_default_namespace.value_or("");
  for (std::size_t i = 0; i < count; ++i) {
    const ExpandedName attribute = split_name(attributes[2 * i]);
    const std::string_view value = attributes[2 * i + 1];
    if (attribute.ns == kXmlNamespace && attribute.local == "lang") {
      header.lang = value;
    } else if (!attribute.ns.empty()) {
      continue; // RFC 6120 §4.7.1: unknown attributes are ignored
    } else if (attribute.local == "to") {
      header.to = value;
    } else if (attribute.local == "from") {
      header.from = value;
    } else if (attribute.local == "id") {
      header.id = value;
    } else if (attribute.local == "version") {
      header.version = value;
    }
  }
  const std::uint64_t start = event_start();
  header_tag = pending.substr(static_cast<std::size_t>(start - base),
                              static_cast<std::size_t>(tag_end - start));
  phase = Phase::open;
  emit(std::move(header), tag_end);
}

void StreamParser::State::on_end_element() {
  // An empty-element tag (<presence/>) has no end tag of its own: its end is the tag's end.
  const std::uint64_t end = XML_GetCurrentByteCount(parser) > 0 ? event_end() : tag_end;
  if (open_elements.empty()) { // RFC 6120 §4.4: </stream:stream>
    phase = Phase::closed;
    return emit(StreamClosed{}, end);
  }
  if (too_large(end)) {
    return fail(policy_violation, kTooLarge);
  }
  Element element = std::move(open_elements.back());
  open_elements.pop_back();
  if (open_elements.empty()) {
    emit(std::move(element), end);
  } else {
    open_elements.back().append(std::move(element));
  }
}

void StreamParser::State::on_character_data(std::string_view text) {
  if (open_elements.empty()) {
    // Between top-level elements only whitespace, such as keep-alives (RFC 6120 §4.6.1),
    // which moves the start of the next element.
    if (!is_whitespace(text)) {
      return fail(bad_format, "Text between top-level elements");
    }
    mark = std::max(mark, event_end());
    return;
  }
  if (too_large(event_end())) {
    return fail(policy_violation, kTooLarge);
  }
  open_elements.back().append_text(text);
}

// One expat call: resumes after an event, or hands over the next bytes. Returns false when
// nothing can be parsed until more bytes arrive (or ever).
bool StreamParser::State::parse_more() {
  if (phase == Phase::closed || phase == Phase::failed) {
    return false;
  }
  XML_Status status = XML_STATUS_OK;
  if (suspended) {
    suspended = false;
    status = XML_ResumeParser(parser);
  } else {
    const std::size_t length = next_length();
    if (phase == Phase::failed) {
      events.emplace_back(*error);
      error.reset();
      return true;
    }
    if (length == 0) {
      return false;
    }
    const auto offset = static_cast<std::size_t>(handed - base);
    handed += length;
    status = XML_Parse(parser, pending.data() + offset, static_cast<int>(length), XML_FALSE);
  }
  suspending = false;
  if (status == XML_STATUS_SUSPENDED) {
    suspended = true;
  } else if (phase != Phase::failed) {
    if (status == XML_STATUS_ERROR) {
      const XML_Error code = XML_GetErrorCode(parser);
      const XML_LChar* text = XML_ErrorString(code);
      record_error(condition_for(code), text == nullptr ? "XML error" : text, event_start());
    } else if (handed - mark > settings.max_element_size) {
      record_error(policy_violation, kTooLarge, handed); // an unfinished tag or text run
    } else {
      hold_back_if_stuck();
    }
  }
  if (error) {
    events.emplace_back(*error);
    error.reset();
  }
  compact();
  return true;
}

// How many bytes to hand expat next: a slice, or nothing while they cannot finish the
// large token it holds. Records an error instead when the bytes cannot be parsed at all.
std::size_t StreamParser::State::next_length() {
  const std::uint64_t end = base + pending.size();
  std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(end - handed, kSliceSize));
  if (length > 0 && handed == 0) {
    // UTF-16 and UTF-32 start with a byte UTF-8 never has, or a NUL (XML §F.1).
    const auto first = static_cast<unsigned char>(pending.front());
    if (first == 0x00 || first == 0xFE || first == 0xFF) {
      record_error(unsupported_encoding, "Encoding other than UTF-8 (RFC 6120 §11.6)", 0);
    }
  }
  if (length == 0 || !unfinished) {
    return length;
  }
  const std::size_t found = unfinished->find_end(
      std::string_view(pending).substr(static_cast<std::size_t>(scanned - base)));
  if (found == std::string_view::npos) {
    scanned = end;
    if (end - mark > settings.max_element_size) {
      record_error(policy_violation, kTooLarge, mark + settings.max_element_size);
    }
    return 0;
  }
  unfinished.reset();
  const std::uint64_t through = scanned + found; // the byte that may finish the token
  return static_cast<std::size_t>(
      std::min<std::uint64_t>(std::max<std::uint64_t>(through - handed, length), INT_MAX));
}

// After a call that left expat inside a large token, holds back further bytes until one of
// them may finish it. XML_GetCurrentByteIndex then gives where the token starts.
void StreamParser::State::hold_back_if_stuck() {
  const XML_Index at = XML_GetCurrentByteIndex(parser);
  if (at < 0 || stream_offset(at) < base || handed - stream_offset(at) < kHoldBackFrom) {
    return;
  }
  const auto start = static_cast<std::size_t>(stream_offset(at) - base);
  const auto length = static_cast<std::size_t>(handed - stream_offset(at));
  detail::UnfinishedToken token;
  if (token.start(std::string_view(pending).substr(start, length))) {
    unfinished = token;
    scanned = handed;
  }
}

// Between two top-level elements with every byte parsed, expat holds nothing a new parser
// fed the header again would not.
bool StreamParser::State::idle() const {
  return parser != nullptr && phase == Phase::open && !suspended && open_elements.empty() &&
         events.empty() && !unfinished && handed == base + pending.size() && mark == handed &&
         !header_tag.empty();
}

void StreamParser::State::release_parser() {
  XML_ParserFree(std::exchange(parser, nullptr));
  std::string().swap(pending);
  base = handed;
  std::vector<Element>().swap(open_elements);
}

void StreamParser::State::rebuild_parser() {
  create_parser();
  expat_origin = static_cast<std::int64_t>(handed) - static_cast<std::int64_t>(header_tag.size());
  replaying = true;
  const XML_Status status =
      XML_Parse(parser, header_tag.data(), static_cast<int>(header_tag.size()), XML_FALSE);
  replaying = false;
  if (status != XML_STATUS_OK) {
    record_error(internal_server_error, "Stream header could not be read again", handed);
    events.emplace_back(*std::exchange(error, std::nullopt));
  }
}

// Drops the bytes before `mark` once they are half the buffer, so each byte moves O(1) times.
void StreamParser::State::compact() {
  const auto consumed = static_cast<std::size_t>(mark - base);
  if (consumed > 0 && consumed >= pending.size() / 2) {
    pending.erase(0, consumed);
    base = mark;
  }
}

StreamParser::StreamParser(ParserSettings settings)
    : state_(std::make_unique<State>(std::move(settings))) {}

StreamParser::~StreamParser() = default;
StreamParser::StreamParser(StreamParser&&) noexcept = default;
StreamParser& StreamParser::operator=(StreamParser&&) noexcept = default;

void StreamParser::feed(std::string_view bytes) {
  State& s = *state_;
  if (s.phase == State::Phase::closed || s.phase == State::Phase::failed || bytes.empty()) {
    return;
  }
  if (s.parser == nullptr) {
    s.rebuild_parser();
  }
  s.pending.append(bytes);
}

std::optional<Event> StreamParser::next() {
  State& s = *state_;
  while (s.events.empty() && s.parse_more()) {
  }
  if (s.events.empty()) {
    if (s.idle()) {
      s.release_parser();
    }
    return std::nullopt;
  }
  Event event = std::move(s.events.front());
  s.events.pop_front();
  return event;
}

void StreamParser::reset() {
  ParserSettings settings = state_->settings;
  state_ = std::make_unique<State>(std::move(settings));
}

std::string_view StreamParser::unparsed() const {
  return std::string_view(state_->pending)
      .substr(static_cast<std::size_t>(state_->mark - state_->base));
}

void StreamParser::set_max_element_size(std::size_t bytes) {
  state_->settings.max_element_size = bytes;
}

const ParserSettings& StreamParser::settings() const {
  return state_->settings;
}

bool StreamParser::idle() const {
  return state_->parser == nullptr;
}

} // namespace starling::xmpp::xml
