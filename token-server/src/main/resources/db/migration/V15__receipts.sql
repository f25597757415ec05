-- Verifiable receipts (docs/PROTOCOL.md, "Receipts"): every applied answer appends one entry to
-- its user's chain, in the same database transaction as the change of status.

-- The head of each user's chain, locked FOR UPDATE by every append so that appends of one user
-- are serialised: seq 0 and the genesis hash before the first.
CREATE TABLE receipt_head (
    user_id    text   PRIMARY KEY REFERENCES app_user (user_id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    entry_hash text   NOT NULL
);

-- The entries, with every signed thing as its exact bytes. No reference to the transaction: a
-- receipt outlives the retention purge of its transaction, as evidence should.
CREATE TABLE receipt_entry (
    user_id            text        NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    seq                bigint      NOT NULL,
    transaction_id     uuid        NOT NULL,
    client_id          text        NOT NULL,
    statement          bytea       NOT NULL,
    -- Null for an answer that came without a receipt: the server wrote the statement.
    device_signature   bytea,
    device_fingerprint text,
    entry              bytea       NOT NULL,
    entry_hash         text        NOT NULL,
    server_signature   bytea       NOT NULL,
    recorded_at        timestamptz NOT NULL,
    PRIMARY KEY (user_id, seq),
    -- One per answer: one per transaction, or one per approver of a four-eyes transaction.
    UNIQUE (transaction_id, user_id)
);
