// SQL text shared by the inbox's statements (inbox.cpp) and the server-side post function
// (schema.cpp, step 10), so that both compute "unread" and the visible conversations the
// same way. Parameters: $1 the user, $2 the request.
#pragma once

// The conversations of request $2 user $1 sees (`buyer`: true when the buyer sees them
// all; `from`: more tables it reads), as the CTE `vis`.
#define VISIBLE(from, buyer)                                                             \
    "vis(cid) AS ("                                                                      \
    "  SELECT c.id FROM conversations c" from " WHERE c.request_id = $2 AND " buyer      \
    "  UNION"                                                                            \
    "  SELECT c.id FROM participants p JOIN conversations c ON c.id = p.conversation_id" \
    "  WHERE p.user_id = $1 AND c.request_id = $2) "
#define VISIBLE_CTE "WITH " VISIBLE("", "$3::boolean")  // $3: the buyer
// Unread for user $1: a message of someone else above my read mark in a conversation I
// see (UNREAD_MESSAGES); for the seller side, also a request never opened (no read mark
// at all: NOT EVER_READ).
#define UNREAD_MESSAGES                                                                  \
    "EXISTS(SELECT 1 FROM vis JOIN messages m ON m.conversation_id = vis.cid"            \
    " WHERE m.author_id <> $1 AND m.id > COALESCE((SELECT cr.last_read_message_id"       \
    " FROM conv_reads cr WHERE cr.user_id = $1 AND cr.conversation_id = vis.cid), 0))"
#define EVER_READ \
    "EXISTS(SELECT 1 FROM conv_reads cr WHERE cr.user_id = $1 AND cr.conversation_id IN (SELECT cid FROM vis))"

// After a message: everyone who sees conversation $2 of request $1 gets one more message,
// the newest activity ($4), the last message ($5), unread for all but the author ($3).
#define INBOX_AFTER_MESSAGE                                                                                    \
    "UPDATE inbox_rows SET last_activity = GREATEST(last_activity, $4), message_count = message_count + 1,"   \
    " last_message_id = GREATEST(last_message_id, $5), unread = CASE WHEN user_id = $3 THEN unread ELSE true END" \
    " WHERE request_id = $1"                                                                                   \
    " AND (is_buyer OR user_id IN (SELECT user_id FROM participants WHERE conversation_id = $2))"

// User $1's unread flag on request $2 computed in the UPDATE itself, with the row's
// is_buyer as the buyer flag.
#define UPDATE_UNREAD                                                                      \
    "WITH b AS (SELECT is_buyer FROM inbox_rows WHERE user_id = $1 AND request_id = $2), " \
    VISIBLE(", b", "b.is_buyer")                                                           \
    "UPDATE inbox_rows i SET unread = " UNREAD_MESSAGES " OR (NOT i.is_buyer AND NOT " EVER_READ ") " \
    "WHERE i.user_id = $1 AND i.request_id = $2"
