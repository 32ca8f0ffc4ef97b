// Call control, the B2BUA (RFC 7092 §3.1): takes each new INVITE from the SIP service,
// routes it through the dial plan and runs it as a Call; finds the call of every request
// within a dialog.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/metrics.h"
#include "pbx/call.h"
#include "pbx/dial_plan.h"
#include "sip/dialog/dialog_handler.h"

namespace starling::pbx {

class CallControl final : public sip::DialogHandler, private CallRegistry {
public:
  using DialPlanSource = std::function<std::shared_ptr<const DialPlan>()>;

  CallControl(CallServices services, DialPlanSource dial_plan, core::MetricsRegistry& metrics);
  CallControl(const CallControl&) = delete;
  CallControl& operator=(const CallControl&) = delete;
  CallControl(CallControl&&) = delete;
  CallControl& operator=(CallControl&&) = delete;
  ~CallControl() override;

  // sip::DialogHandler
  void on_invite(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
                 std::string_view user) override;
  void on_dialog_request(sip::ServerTransactionHandle transaction,
                         const sip::IncomingRequest& request) override;
  void on_cancel(sip::ServerTransactionHandle invite) override;
  void on_ack(const sip::Message& ack, const sip::Destination& source) override;

  // Ends every call (BYE to both phones), when Starling stops.
  void hang_up_all();
  // Ends the call with this id (Call::id, the call_id of its records) as an administrator
  // asked; false when no such call is in progress.
  bool hang_up(std::string_view call_id);
  [[nodiscard]] std::size_t active_calls() const { return calls_.size(); }

private:
  // CallRegistry
  void add_dialog(std::string key, std::uint64_t call, media::Side side) override;
  void remove_dialog(const std::string& key) override;
  void retire(std::uint64_t call) override;

  void reject(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
              std::uint16_t status, std::string_view reason,
              const std::vector<std::pair<std::string_view, std::string>>& headers = {});
  // RFC 4028 §8.1: the interval to use, or the Min-SE to demand with 422.
  std::expected<std::optional<std::chrono::seconds>, std::chrono::seconds>
  session_interval(const sip::Message& invite) const;
  std::vector<CallTarget> contacts_of(const UserTarget& user) const;
  Call* find(const std::string& key, media::Side* side);

  struct DialogEntry {
    std::uint64_t call = 0;
    media::Side side = media::Side::a;
  };

  CallServices services_;
  DialPlanSource dial_plan_;
  std::uint64_t next_number_ = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<Call>> calls_;
  std::unordered_map<std::string, DialogEntry> dialogs_;
  std::unordered_map<std::uint64_t, std::uint64_t> invites_; // server transaction -> call
  core::Counter& calls_total_;
  core::Counter& calls_rejected_;
  core::Gauge& calls_active_;
};

} // namespace starling::pbx
