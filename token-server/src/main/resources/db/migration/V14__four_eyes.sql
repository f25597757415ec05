-- Four-eyes approval (docs/PROTOCOL.md, "Four-eyes approval"): a type may require the phones of
-- several distinct users of a group to confirm. 1 is one phone, as before.
ALTER TABLE mobile_auth_type ADD COLUMN required_approvals integer NOT NULL DEFAULT 1;
ALTER TABLE mobile_auth_type ADD COLUMN approvers text[] NOT NULL DEFAULT '{}';

-- Copied onto each transaction at initiation (the group from the initiation or the type), with the
-- users who approved so far, in order. One conditional update appends to approved_by, so the count
-- and the rule that no user approves twice are decided on the transaction's row.
ALTER TABLE mobile_auth_transaction ADD COLUMN required_approvals integer NOT NULL DEFAULT 1;
ALTER TABLE mobile_auth_transaction ADD COLUMN approvers text[];
ALTER TABLE mobile_auth_transaction ADD COLUMN approved_by text[] NOT NULL DEFAULT '{}';

-- Each approver's own fetch of a four-eyes transaction: the device it fetched with and the nonce
-- its answer must echo, refreshed by a later fetch until the user answers.
CREATE TABLE transaction_approver (
    transaction_id uuid NOT NULL REFERENCES mobile_auth_transaction (transaction_id) ON DELETE CASCADE,
    user_id text NOT NULL,
    device_id uuid NOT NULL,
    nonce text NOT NULL,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (transaction_id, user_id)
);
