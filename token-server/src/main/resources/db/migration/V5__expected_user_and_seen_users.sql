-- Token server, part 5: who may answer a transaction, and which users each client has seen.

-- expected_user_id (an initiation parameter, a qrauth addition): when set, only this user's
-- phone can fetch the transaction; another user's fetch is NOT_FOUND and changes nothing.
ALTER TABLE mobile_auth_transaction ADD COLUMN expected_user_id text;

-- A user who answered (confirmed or denied) one of a client's transactions, so the client has
-- read that user id in a result. Only such a client may disable that user's mobile
-- authentication. Written with the answer; kept when the transaction is purged.
CREATE TABLE client_user (
    client_id     text        NOT NULL REFERENCES api_client (client_id) ON DELETE CASCADE,
    user_id       text        NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    first_seen_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, user_id)
);
CREATE INDEX client_user_user ON client_user (user_id);
