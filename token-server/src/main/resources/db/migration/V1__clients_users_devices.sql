-- Token server, part 1: API clients, mobile-auth types, users, devices, registrations,
-- access tokens, the server's key, the generated admin credential and the audit log.
-- Secrets are never stored in clear: *_hash columns hold hashes, bytea columns named after a
-- secret hold AES-256-GCM ciphertext under the master key.

CREATE TABLE api_client (
    client_id               text        PRIMARY KEY,
    name                    text        NOT NULL UNIQUE,
    display_name            text        NOT NULL,
    secret_hash             text        NOT NULL,
    callback_signing_secret bytea       NOT NULL,
    callback_uris           text[]      NOT NULL,
    callback_username       text,
    callback_password       bytea,
    callback_on_scan        boolean     NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL
);

CREATE TABLE mobile_auth_type (
    name                 text        PRIMARY KEY,
    method               text        NOT NULL,
    time_to_live_seconds integer     NOT NULL,
    default_message      text,
    number_matching      boolean     NOT NULL,
    max_message_length   integer     NOT NULL,
    created_at           timestamptz NOT NULL
);

CREATE TABLE app_user (
    user_id    text        PRIMARY KEY,
    created_at timestamptz NOT NULL
);

-- Single use: a code is deleted when it is redeemed.
CREATE TABLE activation_code (
    code_hash  text        PRIMARY KEY,
    user_id    text        NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX activation_code_user ON activation_code (user_id);

CREATE TABLE device (
    device_id   uuid        PRIMARY KEY,
    name        text        NOT NULL,
    secret_hash text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- A user registered on a device: the PIN, its failure counter and the mobile-auth enrollment.
CREATE TABLE registration (
    id                     bigserial   PRIMARY KEY,
    device_id              uuid        NOT NULL REFERENCES device (device_id) ON DELETE CASCADE,
    user_id                text        NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    pin_hash               text        NOT NULL,
    failed_pin_attempts    integer     NOT NULL DEFAULT 0,
    device_certificate     text,
    device_key_fingerprint text,
    enrolled_at            timestamptz,
    disenrolled_at         timestamptz,
    created_at             timestamptz NOT NULL,
    UNIQUE (device_id, user_id)
);
CREATE INDEX registration_user ON registration (user_id);

CREATE TABLE access_token (
    token_hash      text        PRIMARY KEY,
    registration_id bigint      NOT NULL REFERENCES registration (id) ON DELETE CASCADE,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX access_token_registration ON access_token (registration_id);

-- The one server key: the certificate in clear, the secret key encrypted under the master key.
CREATE TABLE server_key (
    id          integer     PRIMARY KEY CHECK (id = 1),
    fingerprint text        NOT NULL,
    certificate text        NOT NULL,
    secret_key  bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Only used when tokenserver.admin.password is not configured: the generated password's hash.
CREATE TABLE admin_credential (
    username      text        PRIMARY KEY,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE audit_event (
    id             bigserial   PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    event_type     text        NOT NULL,
    actor          text        NOT NULL,
    user_id        text,
    device_id      uuid,
    transaction_id uuid,
    client_id      text,
    details        text
);
CREATE INDEX audit_event_user ON audit_event (user_id, id DESC);
CREATE INDEX audit_event_device ON audit_event (device_id, id DESC);
CREATE INDEX audit_event_transaction ON audit_event (transaction_id, id DESC);
