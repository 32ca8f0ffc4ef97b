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
#include "pbx/do_not_disturb.h"
#include "pbx/trunk_gateway.h"
#include "sip/dialog/dialog_handler.h"

namespace starling::pbx {

class CallControl final : public sip::DialogHandler, private CallRegistry {
public:
  using DialPlanSource = std::function<std::shared_ptr<const DialPlan>()>;

  // `trunks`, `do_not_disturb` and `metrics` must outlive call control.
  CallControl(CallServices services, DialPlanSource dial_plan, TrunkGateway& trunks,
              const DoNotDisturb& do_not_disturb, core::MetricsRegistry& metrics);
  CallControl(const CallControl&) = delete;
  CallControl& operator=(const CallControl&) = delete;
  CallControl(CallControl&&) = delete;
  CallControl& operator=(CallControl&&) = delete;
  ~CallControl() override;

  // sip::DialogHandler
  void on_invite(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
                 std::string_view user) override;
  [[nodiscard]] std::optional<std::string> trunk_of(const sip::IncomingRequest& request) override;
  void on_trunk_invite(sip::ServerTransactionHandle transaction,
                       const sip::IncomingRequest& request, std::string_view trunk) override;
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
  // Max-Forwards and the session interval, common to calls from devices and trunks; nothing
  // when the INVITE was refused.
  std::optional<std::optional<std::chrono::seconds>> admit(sip::ServerTransactionHandle transaction,
                                                           const sip::IncomingRequest& request);
  std::vector<CallTarget> contacts_of(const UserTarget& user) const;
  // Rings `callee`'s devices, or answers 486 when the user asked not to be disturbed.
  void ring(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
            std::string caller, std::string dialled, const UserTarget& callee,
            std::optional<std::chrono::seconds> session_interval, std::string trunk);
  // Creates the call, remembers it and starts it.
  void place(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
             std::string caller, std::string callee, std::vector<CallTarget> targets,
             std::optional<std::chrono::seconds> session_interval, std::string trunk);
  // A call from `device` to a public number: finds the servers of each trunk, then places it.
  void place_outbound(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request,
                      std::string device, const TrunkTarget& target,
                      std::optional<std::chrono::seconds> session_interval);
  struct Locating;
  void locate_trunks(const std::shared_ptr<Locating>& locating, std::size_t index);
  [[nodiscard]] TrunkRoute trunk_route(const store::Trunk& trunk, std::string_view device,
                                       const TrunkTarget& target) const;
  [[nodiscard]] std::size_t calls_on(std::string_view trunk) const;
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
  std::unordered_map<std::uint64_t, std::uint64_t> invites_;   // server transaction -> call
  std::unordered_map<std::uint64_t, std::string> call_trunks_; // call -> trunk it uses
  // INVITEs to public numbers whose trunks are being located: server transaction -> whether
  // the caller cancelled meanwhile.
  std::unordered_map<std::uint64_t, bool> locating_;
  TrunkGateway& trunks_;
  const DoNotDisturb& do_not_disturb_;
  core::Counter& calls_total_;
  core::Counter& calls_rejected_;
  core::Gauge& calls_active_;
};

} // namespace starling::pbx
