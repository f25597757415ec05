-- The duress PIN (docs/PROTOCOL.md, "Duress PIN"): a second PIN whose logins look like any other
-- to the phone, while the server knows them. Hashed like the PIN (Argon2id); null when none is set.
ALTER TABLE registration ADD COLUMN duress_pin_hash text;

-- A session opened with the duress PIN; every request made with its token acts under duress.
ALTER TABLE access_token ADD COLUMN duress boolean NOT NULL DEFAULT false;

-- What an approval under duress does: 'flag' (completes, and the portal is told) or 'refuse'
-- (it does not log in). Copied onto each transaction at initiation, like the proximity policy.
ALTER TABLE mobile_auth_type ADD COLUMN duress text NOT NULL DEFAULT 'flag';
ALTER TABLE mobile_auth_transaction ADD COLUMN duress_policy text NOT NULL DEFAULT 'flag';

-- Set by the answer that finished the transaction under duress, in the same update.
ALTER TABLE mobile_auth_transaction ADD COLUMN duress boolean NOT NULL DEFAULT false;

-- Callbacks of such an answer say so in their (signed) body.
ALTER TABLE callback_outbox ADD COLUMN duress boolean NOT NULL DEFAULT false;
