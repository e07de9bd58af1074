// The SQLite schema of the Parley store: every migration step, in order.
#include "server/store/sqlite/store.h"

namespace parley::server {

const std::vector<const char*>& sqlite_migrations() {
    static const std::vector<const char*> steps = {
    // 1: base tables
    R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('buyer', 'manufacturer')),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '');
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  buyer_id INTEGER NOT NULL REFERENCES users(id),
  manufacturer_id INTEGER NOT NULL REFERENCES users(id),
  product TEXT NOT NULL,
  message TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE TABLE reads(
  user_id INTEGER NOT NULL REFERENCES users(id),
  request_id INTEGER NOT NULL REFERENCES requests(id),
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, request_id)) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  kind TEXT NOT NULL,
  message_id INTEGER NOT NULL DEFAULT 0,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL);
CREATE TABLE magic_links(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE idempotency(
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  message_id INTEGER NOT NULL REFERENCES messages(id),
  UNIQUE (user_id, key));
)sql",
    // 2: indexes for the inbox, thread and event queries
    R"sql(
CREATE INDEX requests_buyer ON requests(buyer_id);
CREATE INDEX requests_manufacturer ON requests(manufacturer_id);
CREATE INDEX messages_request ON messages(request_id, id);
CREATE INDEX events_request ON events(request_id, id);
)sql",
    // 3: single-use vs reusable magic links (demo links are reusable)
    R"sql(
ALTER TABLE magic_links ADD COLUMN reusable INTEGER NOT NULL DEFAULT 0;
)sql",
    // 4: the workflow — sales network roles, conversations and their participants,
    // per-conversation read marks, phone reveals, ratings, richer events. Every
    // existing request becomes one conversation with its manufacturer.
    R"sql(
CREATE TABLE users_v4(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('buyer', 'manufacturer', 'area_manager', 'distributor', 'guest')),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  org_id INTEGER NOT NULL DEFAULT 0);
INSERT INTO users_v4(id, name, company, country, language, role, email, phone, org_id)
  SELECT id, name, company, country, language, role, email, phone,
         CASE WHEN role = 'manufacturer' THEN id ELSE 0 END FROM users;
DROP TABLE users;
ALTER TABLE users_v4 RENAME TO users;
CREATE INDEX users_email ON users(email) WHERE email <> '';
CREATE INDEX users_org ON users(org_id);
CREATE TABLE network(
  member_id INTEGER PRIMARY KEY REFERENCES users(id),
  manufacturer_id INTEGER NOT NULL REFERENCES users(id),
  zones TEXT NOT NULL DEFAULT '',
  auto_cc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE conversations(
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  seller_id INTEGER NOT NULL REFERENCES users(id),
  parent_id INTEGER NOT NULL DEFAULT 0,
  origin TEXT NOT NULL CHECK (origin IN ('received', 'routed', 'forwarded')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'declined', 'won', 'lost')),
  decline_reason TEXT NOT NULL DEFAULT '',
  decline_text TEXT NOT NULL DEFAULT '',
  status_at INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  UNIQUE (request_id, seller_id));
CREATE INDEX conversations_parent ON conversations(parent_id);
CREATE INDEX conversations_seller ON conversations(seller_id, created);
CREATE TABLE participants(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  via TEXT NOT NULL CHECK (via IN ('owner', 'cc', 'forward', 'auto_cc')),
  added_by INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, user_id)) WITHOUT ROWID;
CREATE INDEX participants_user ON participants(user_id);
CREATE TABLE conv_reads(
  user_id INTEGER NOT NULL REFERENCES users(id),
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, conversation_id)) WITHOUT ROWID;
CREATE TABLE phone_reveals(
  user_id INTEGER NOT NULL REFERENCES users(id),
  request_id INTEGER NOT NULL REFERENCES requests(id),
  created INTEGER NOT NULL,
  PRIMARY KEY (user_id, request_id)) WITHOUT ROWID;
CREATE TABLE ratings(
  conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id),
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL);
ALTER TABLE messages ADD COLUMN conversation_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN conversation_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN audience TEXT NOT NULL DEFAULT 'conversation';
ALTER TABLE events ADD COLUMN target_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN target_name TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN value INTEGER NOT NULL DEFAULT 0;
INSERT INTO conversations(request_id, seller_id, origin, created)
  SELECT id, manufacturer_id, 'received', created FROM requests;
INSERT INTO participants(conversation_id, user_id, via, added_by, created)
  SELECT id, seller_id, 'owner', 0, created FROM conversations;
UPDATE messages SET conversation_id =
  (SELECT c.id FROM conversations c WHERE c.request_id = messages.request_id);
UPDATE events SET conversation_id =
  (SELECT c.id FROM conversations c WHERE c.request_id = events.request_id);
INSERT INTO conv_reads(user_id, conversation_id, last_read_message_id, read_at)
  SELECT r.user_id, c.id, r.last_read_message_id, r.read_at
  FROM reads r JOIN conversations c ON c.request_id = r.request_id;
DROP TABLE reads;
CREATE INDEX messages_conversation ON messages(conversation_id, id);
)sql",
    // 5: attachments: files stored by content hash; pending (message_id 0)
    // until a message names them.
    R"sql(
CREATE TABLE attachments(
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  message_id INTEGER NOT NULL DEFAULT 0,
  uploader_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('quote', 'other')),
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE INDEX attachments_conversation ON attachments(conversation_id, message_id);
CREATE INDEX attachments_message ON attachments(message_id) WHERE message_id <> 0;
CREATE INDEX attachments_sha ON attachments(sha256);
)sql",
    // 6: structured quotes: one row per version; `json` is the Quote as sent
    // (content and computed totals), the columns are authoritative for the rest.
    // Numbers come from a per-seller, per-year sequence.
    R"sql(
CREATE TABLE quotes(
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  seller_id INTEGER NOT NULL REFERENCES users(id),
  number TEXT NOT NULL,
  version INTEGER NOT NULL,
  supersedes INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('sent', 'opened', 'accepted', 'paid', 'superseded', 'expired')),
  json TEXT NOT NULL,
  created INTEGER NOT NULL,
  opened_at INTEGER NOT NULL DEFAULT 0,
  accepted_at INTEGER NOT NULL DEFAULT 0,
  accepted_by_name TEXT NOT NULL DEFAULT '',
  accepted_version INTEGER NOT NULL DEFAULT 0,
  UNIQUE (seller_id, number, version));
CREATE INDEX quotes_request ON quotes(request_id, id);
CREATE TABLE quote_sequences(
  seller_id INTEGER NOT NULL REFERENCES users(id),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (seller_id, year)) WITHOUT ROWID;
)sql",
    // 7: online payment of quotes: the paid marks on quotes, the checkout
    // sessions created with a provider, and every provider event processed (once).
    R"sql(
ALTER TABLE quotes ADD COLUMN paid_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quotes ADD COLUMN paid_provider TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN paid_reference TEXT NOT NULL DEFAULT '';
CREATE TABLE payment_sessions(
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  quote_id INTEGER NOT NULL REFERENCES quotes(id),
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  success_url TEXT NOT NULL,
  cancel_url TEXT NOT NULL,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  paid_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX payment_sessions_quote ON payment_sessions(quote_id);
CREATE TABLE payment_events(
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  quote_id INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  reference TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('paid', 'already_paid')),
  created INTEGER NOT NULL,
  UNIQUE (provider, event_id));
)sql",
    // 8: the outbox of e-mail notifications: one row per recipient, the
    // composed message and its delivery state (server/mail/outbox.h, server/store/sqlite/outbox.cpp).
    R"sql(
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  to_user_id INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  request_id INTEGER NOT NULL DEFAULT 0,
  conversation_id INTEGER NOT NULL DEFAULT 0,
  message_id TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  raw TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed_temporary', 'failed_permanent', 'dev_mailbox')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  error_kind TEXT NOT NULL DEFAULT '',
  last_code INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('queued', 'failed_temporary');
CREATE INDEX outbox_user ON outbox(to_user_id, id);
CREATE INDEX outbox_thread ON outbox(conversation_id, to_user_id, id);
CREATE UNIQUE INDEX outbox_message_id ON outbox(message_id);
)sql",
    // 9: inbound replies: one row per received Message-ID (or hash of the raw
    // message), with the raw message kept (server/mail/inbound.h, mail_in.cpp).
    R"sql(
CREATE TABLE mail_in(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  conversation_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posted', 'auto_reply')),
  message_id INTEGER NOT NULL DEFAULT 0,
  event_id INTEGER NOT NULL DEFAULT 0,
  subject TEXT NOT NULL DEFAULT '',
  raw TEXT NOT NULL,
  received INTEGER NOT NULL);
CREATE INDEX mail_in_message ON mail_in(message_id) WHERE message_id > 0;
)sql",
    // 10: e-mail, continued: sign-in links sent in mails are scoped to one
    // request (0: any); outbox rows name the message they notify about, for its
    // per-recipient delivery status, and the event that reported a permanent failure.
    R"sql(
ALTER TABLE magic_links ADD COLUMN request_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN message_ref INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN failure_event_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_message_ref ON outbox(message_ref) WHERE message_ref > 0;
)sql",
    // 11: translation: the detected language of each text ("m<message id>" or
    // "r<request id>"), translations computed once per text and target language, and
    // per-user settings (server/store/sqlite/translations.cpp).
    R"sql(
CREATE TABLE text_langs(
  item TEXT PRIMARY KEY,
  request_id INTEGER NOT NULL,
  lang TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX text_langs_request ON text_langs(request_id);
CREATE TABLE translations(
  item TEXT NOT NULL,
  target TEXT NOT NULL,
  request_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  provider TEXT NOT NULL,
  version TEXT NOT NULL,
  text TEXT NOT NULL,
  sent INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  PRIMARY KEY (item, target)) WITHOUT ROWID;
CREATE INDEX translations_request ON translations(request_id, target);
CREATE TABLE user_settings(
  user_id INTEGER PRIMARY KEY,
  auto_translate INTEGER NOT NULL DEFAULT 0);
)sql",
    // 12: volume — one inbox row per (user, request) kept up to date on every write
    // (inbox.cpp), so that an inbox page reads ~50 rows whatever the size; full-text
    // search (FTS5, accents folded; CJK indexed one character per token so that any
    // substring is found); the "message" event of each message, to cut the history into
    // pages. The rows and the index of existing data are built once by the server.
    R"sql(
CREATE TABLE inbox_rows(
  user_id INTEGER NOT NULL,
  request_id INTEGER NOT NULL,
  is_buyer INTEGER NOT NULL DEFAULT 0,
  last_activity INTEGER NOT NULL,
  unread INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT '',
  handler_id INTEGER NOT NULL DEFAULT 0,
  country TEXT NOT NULL DEFAULT '',
  message_count INTEGER NOT NULL DEFAULT 0,
  last_message_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, request_id)) WITHOUT ROWID;
CREATE INDEX inbox_recent ON inbox_rows(user_id, last_activity, request_id);
CREATE INDEX inbox_status ON inbox_rows(user_id, status, last_activity, request_id);
CREATE INDEX inbox_unread ON inbox_rows(user_id, unread, last_activity, request_id);
CREATE INDEX inbox_country ON inbox_rows(user_id, country, last_activity, request_id);
CREATE INDEX inbox_request ON inbox_rows(request_id);
CREATE VIRTUAL TABLE search_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE INDEX events_message ON events(message_id) WHERE kind = 'message';
CREATE TABLE pending_backfill(name TEXT PRIMARY KEY);
INSERT INTO pending_backfill(name) VALUES ('inbox'), ('search');
)sql",
    // 13: volume — the inbox indexes carry every filter column, so that a page's totals
    // are counted from the index alone; a conversation's read marks by conversation.
    R"sql(
DROP INDEX inbox_recent;
DROP INDEX inbox_status;
DROP INDEX inbox_unread;
DROP INDEX inbox_country;
CREATE INDEX inbox_recent ON inbox_rows(user_id, last_activity, request_id, status, unread, country, handler_id);
CREATE INDEX inbox_status ON inbox_rows(user_id, status, last_activity, request_id, unread, country, handler_id);
CREATE INDEX inbox_unread ON inbox_rows(user_id, unread, last_activity, request_id, status, country, handler_id);
CREATE INDEX inbox_country ON inbox_rows(user_id, country, last_activity, request_id, status, unread, handler_id);
CREATE INDEX conv_reads_conversation ON conv_reads(conversation_id);
)sql",
    // 14: posts — messages are indexed for search behind their posts: every message up
    // to this id is in search_fts (the one-time build above, if pending, also moves it).
    R"sql(
CREATE TABLE search_cursor(message_id INTEGER NOT NULL);
INSERT INTO search_cursor(message_id) SELECT COALESCE(MAX(id), 0) FROM messages;
)sql",
    // 15: abuse limits — a user's pending uploads are summed (a cap), old ones swept.
    R"sql(
CREATE INDEX attachments_pending ON attachments(uploader_id, created) WHERE message_id = 0;
)sql",
    // 16: e-mail in, the sender's proof — a reply that proves nothing is kept "held" for the
    // owner of its relay address to post or discard (server/mail/sender_auth.h); the table
    // is rebuilt because SQLite cannot widen a CHECK.
    R"sql(
CREATE TABLE mail_in_v16(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  conversation_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posted', 'auto_reply', 'held', 'discarded')),
  message_id INTEGER NOT NULL DEFAULT 0,
  event_id INTEGER NOT NULL DEFAULT 0,
  subject TEXT NOT NULL DEFAULT '',
  raw TEXT NOT NULL,
  received INTEGER NOT NULL,
  hold_reason TEXT NOT NULL DEFAULT '',
  preview TEXT NOT NULL DEFAULT '');
INSERT INTO mail_in_v16(id, key, conversation_id, user_id, status, message_id, event_id, subject, raw, received)
  SELECT id, key, conversation_id, user_id, status, message_id, event_id, subject, raw, received FROM mail_in;
DROP TABLE mail_in;
ALTER TABLE mail_in_v16 RENAME TO mail_in;
CREATE INDEX mail_in_message ON mail_in(message_id) WHERE message_id > 0;
CREATE INDEX mail_in_held ON mail_in(user_id, conversation_id, id) WHERE status = 'held';
)sql",
    // 17: scoped sessions — a session made from the sign-in link of a notification
    // e-mail opens only that request (0: the whole account).
    R"sql(
ALTER TABLE sessions ADD COLUMN request_id INTEGER NOT NULL DEFAULT 0;
)sql",
    // 18: chunked uploads in the database — any instance continues, completes or cancels
    // an upload (id: the hash of the token handed out; the temp file is named by it).
    R"sql(
CREATE TABLE uploads(
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  request_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  "offset" INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completing', 'done')),
  done_json TEXT NOT NULL DEFAULT '',
  writing_until INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  touched INTEGER NOT NULL);
CREATE INDEX uploads_user ON uploads(user_id) WHERE status <> 'done';
CREATE INDEX uploads_touched ON uploads(touched);
)sql",
    // 19: dark mode — each user's colour theme, remembered on the server (GET /me, PUT
    // /me/preferences): "system" follows the device.
    R"sql(
ALTER TABLE user_settings ADD COLUMN theme TEXT NOT NULL DEFAULT 'system'
  CHECK (theme IN ('system', 'light', 'dark'));
)sql",
    // 20: leads into the seller's CRM — each seller's outgoing webhook and Odoo connection,
    // the persistent queue of their deliveries (retried with backoff; the log the seller
    // reads), the lead each request became, and the dispatcher's cursor over events and
    // requests (a lease: one instance at a time), starting after the data already there. (PostgreSQL: step 9.)
    R"sql(
CREATE TABLE crm_integrations(
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('webhook', 'odoo')),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  database TEXT NOT NULL DEFAULT '',
  login TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  UNIQUE (owner_id, kind));
CREATE TABLE crm_deliveries(
  id INTEGER PRIMARY KEY,
  integration_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL DEFAULT 0,
  request_id INTEGER NOT NULL DEFAULT 0,
  type TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_try INTEGER NOT NULL,
  last_code INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL);
CREATE UNIQUE INDEX crm_deliveries_once ON crm_deliveries(integration_id, event_id, request_id, type) WHERE type <> 'ping';
CREATE INDEX crm_deliveries_due ON crm_deliveries(next_try) WHERE status = 'pending';
CREATE INDEX crm_deliveries_log ON crm_deliveries(integration_id, id);
CREATE TABLE crm_leads(
  integration_id INTEGER NOT NULL,
  request_id INTEGER NOT NULL,
  lead_id INTEGER NOT NULL,
  PRIMARY KEY (integration_id, request_id));
CREATE TABLE crm_cursor(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  event_cursor INTEGER NOT NULL,
  request_cursor INTEGER NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  until INTEGER NOT NULL DEFAULT 0);
INSERT INTO crm_cursor(id, event_cursor, request_cursor)
  SELECT 1, COALESCE((SELECT MAX(id) FROM events), 0), COALESCE((SELECT MAX(id) FROM requests), 0);
)sql",
};
    return steps;
}

}  // namespace parley::server
