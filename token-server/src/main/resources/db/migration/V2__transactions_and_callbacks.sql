-- Token server, part 2: mobile-auth transactions and the callback outbox.

CREATE TABLE mobile_auth_transaction (
    transaction_id uuid        PRIMARY KEY,
    client_id      text        NOT NULL REFERENCES api_client (client_id) ON DELETE CASCADE,
    type_name      text        NOT NULL,
    status         text        NOT NULL,
    -- SHA-256 of the one-time code; the code itself is never stored.
    code_hash      text        NOT NULL,
    callback_uri   text        NOT NULL,
    message        text        NOT NULL,
    secure_message text,
    language_code  text,
    ip_address     text,
    user_agent     text,
    binding_code   integer,
    -- Set when a device fetches the message (PENDING -> SCANNED).
    nonce          text,
    user_id        text,
    device_id      uuid,
    reason         text,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    scanned_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX mobile_auth_transaction_open_by_expiry ON mobile_auth_transaction (expires_at)
    WHERE status IN ('PENDING', 'SCANNED');
CREATE INDEX mobile_auth_transaction_open_by_client ON mobile_auth_transaction (client_id)
    WHERE status IN ('PENDING', 'SCANNED');

-- Written in the same database transaction as the state change it reports; delivered at least
-- once by whichever node claims it (FOR UPDATE SKIP LOCKED, then a lease in next_attempt_at).
CREATE TABLE callback_outbox (
    id              bigserial   PRIMARY KEY,
    transaction_id  uuid        NOT NULL,
    client_id       text        NOT NULL REFERENCES api_client (client_id) ON DELETE CASCADE,
    callback_uri    text        NOT NULL,
    status          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    delivered_at    timestamptz,
    abandoned_at    timestamptz,
    last_error      text
);
CREATE INDEX callback_outbox_due ON callback_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX callback_outbox_transaction ON callback_outbox (transaction_id);

CREATE TABLE callback_attempt (
    id           bigserial   PRIMARY KEY,
    outbox_id    bigint      NOT NULL REFERENCES callback_outbox (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    duration_ms  integer     NOT NULL,
    http_status  integer,
    error        text
);
CREATE INDEX callback_attempt_outbox ON callback_attempt (outbox_id);

-- Failed fetches per device, in fixed windows, so guessing codes from one device is bounded on
-- every node alike.
ALTER TABLE device ADD COLUMN failed_fetches integer NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN failed_fetch_window_start timestamptz;
