// "My sales network" (manufacturer only): the members (area managers, distributors),
// their zones and who gets an automatic copy of requests (auto-CC). Pure state and
// named actions like state.h: actions fill Effects, answers come back through
// action_http_done, which hands the network's calls to network_http_done.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "net/api.h"
#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;

// The "Add member" form. Kept as typed until the server accepts it, so a refusal
// (400) leaves the input in place next to the red message.
struct MemberForm {
    std::string name, company, email;
    std::string role = kRoleDistributor;  // area_manager | distributor
    std::string zones;                    // as typed: "PT, ES"
    bool auto_cc = false;
    bool saving = false;
    std::string error;
    std::string invalid;  // the field the error is about ("name", "company", "email", "zones"): outlined red
};

// Per-member UI state: zones being edited, remove waiting for confirmation.
struct MemberEdit {
    bool editing_zones = false;
    std::string zones;          // the zones field while editing
    bool confirm_remove = false;
    bool saving = false;        // an update or delete is on its way
    bool sent_auto_cc = false;  // the auto-CC value on its way: shown while saving
    std::string error;          // red, under the member
};

struct NetworkState {
    bool loaded = false, loading = false;
    std::string error;                   // loading failed
    Network network;
    bool add_open = false;
    MemberForm add;
    std::map<int64_t, MemberEdit> edits;  // by member user id
};

// Zones typed as "pt, es ; FR" → {"PT","ES","FR"} (upper case, no duplicates, in
// order). `bad` gets the first entry that is not two letters (empty if none).
std::vector<std::string> parse_zones(const std::string& text, std::string* bad = nullptr);
std::string zones_text(const std::vector<std::string>& zones);  // {"ES","PT"} → "ES, PT"

// ---- Named actions ----
void action_network_load(AppState&, Effects&);
void action_network_add(AppState&, Effects&);  // posts the add form
// Saves zones and auto-CC of one member (from its edit state / the toggle).
void action_network_update(AppState&, int64_t member_id, const std::vector<std::string>& zones, bool auto_cc,
                           Effects&);
void action_network_remove(AppState&, int64_t member_id, Effects&);  // after the confirm step
// Answers of the network's calls (CallKind::Network*).
void network_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

const NetworkMember* find_member(const NetworkState&, int64_t member_id);

}  // namespace parley
