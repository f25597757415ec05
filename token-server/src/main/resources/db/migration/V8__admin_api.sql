-- Token server, part 8: the operator's side (issue 19).

-- Default messages per language, {"nl": "Inloggen", "en": "Log in"}, chosen by an initiation's
-- language_code; default_message stays the fallback. A JSON object in text: read and written only
-- by the server (authtype/DefaultMessagesColumn), never queried by member.
ALTER TABLE mobile_auth_type ADD COLUMN default_messages text NOT NULL DEFAULT '{}';

-- The audit listing filters by client and by event type, paging by id.
CREATE INDEX audit_event_client ON audit_event (client_id, id DESC);
CREATE INDEX audit_event_type ON audit_event (event_type, id DESC);
