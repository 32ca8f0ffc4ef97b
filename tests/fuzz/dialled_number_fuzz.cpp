// libFuzzer target: routing a dialled or delivered number (a Request-URI or To user from the
// network) through the numbering plan, outbound and inbound routes, and dial patterns.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pbx/inbound_routes.h"
#include "pbx/outbound_routes.h"

namespace {

using namespace starling::pbx;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_e164(const std::expected<std::string, NumberError>& number) {
  if (!number) {
    check(!number.error().message.empty());
    return;
  }
  check(number->size() >= 2 && number->size() <= 1 + kMaxE164Digits && number->front() == '+');
  check(number->find_first_not_of("0123456789", 1) == std::string::npos);
}

struct Routing {
  NumberingPlan plan;
  OutboundRoutes outbound;
  InboundRoutes inbound;
};

Routing make_routing() {
  NumberingPlanSettings settings;
  settings.country_code = "49";
  settings.area_code = "30";
  settings.international_prefix = "00";
  settings.national_prefix = "0";
  settings.emergency_numbers = {"110", "112"};
  auto plan = NumberingPlan::create(settings).value();
  std::vector<OutboundRule> rules;
  rules.push_back({"international", DialPattern::parse("00Z.").value(), 0, "", true, {"a"}, {}});
  rules.push_back({"national", DialPattern::parse("0Z.").value(), 0, "", false, {"a", "b"}, {}});
  rules.push_back({"local", DialPattern::parse("[2-9]XXXX!").value(), 0, "", false, {"b"}, {}});
  auto outbound = OutboundRoutes::create(std::move(rules), {"a"}, plan).value();
  std::vector<TrunkInboundSettings> trunks{
      {"a",
       {{"+4930123400", "200"}, {"+4930123401-+4930123499", "201"}, {"+49301235XX", "202"}},
       "200"}};
  auto inbound = InboundRoutes::create(std::move(trunks), std::nullopt, plan).value();
  return {std::move(plan), std::move(outbound), std::move(inbound)};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Routing routing = make_routing();
  const std::string_view number(reinterpret_cast<const char*>(data), size);

  check_e164(routing.plan.to_e164(number));
  check_e164(routing.plan.received_to_e164(number));
  (void)routing.plan.classify(number);
  for (const auto permission : {PermissionClass::internal, PermissionClass::international}) {
    const auto decision = routing.outbound.route(number, permission);
    if (decision) {
      check(!decision->trunks.empty() && !decision->number.empty());
      check(is_call_allowed(decision->call_class, permission));
    } else {
      const auto status = decision.error().sip_status;
      check(status == 403 || status == 404 || status == 484);
    }
  }
  if (const auto inbound = routing.inbound.route("a", number)) {
    check(!inbound->target.empty());
  }
  // The same text as a pattern an operator might type: parsing it must fail cleanly or give
  // a pattern that can be matched against anything.
  if (const auto pattern = DialPattern::parse(number)) {
    (void)pattern->matches(number);
    (void)pattern->matches("0301234567");
  } else {
    check(!pattern.error().message.empty());
  }
  return 0;
}
