-- API clients can be disabled, and their secrets rotated with an overlap (docs/PROTOCOL.md,
-- Admin API). Existing clients stay enabled and have no previous secrets.
ALTER TABLE api_client ADD COLUMN enabled boolean NOT NULL DEFAULT true;
-- The secrets replaced by the last rotation, accepted (client secret) and signed with (callback
-- signing secret) next to the new ones until previous_secrets_until; NULL when there are none.
ALTER TABLE api_client ADD COLUMN previous_secret_hash text;
ALTER TABLE api_client ADD COLUMN previous_callback_signing_secret bytea;
ALTER TABLE api_client ADD COLUMN previous_secrets_until timestamptz;
ALTER TABLE api_client ADD COLUMN updated_at timestamptz;
