-- Rotating QR codes (docs/PROTOCOL.md, "GET .../transaction/{transaction_id}/frame"): a type may
-- give its transactions a new code every rotation_seconds while the portal asks for it. Null: the
-- code never changes, as before.
ALTER TABLE mobile_auth_type ADD COLUMN rotation_seconds integer;

-- Copied onto each transaction at initiation, like the proximity and duress policies.
ALTER TABLE mobile_auth_transaction ADD COLUMN rotation_seconds integer;

-- The current frame: its number (0 is the initiation's code, whose hash stays in code_hash until
-- a new frame replaces it) and when it was made. The code it replaced stays valid for a scan in
-- flight until previous_code_until; older ones are gone. Hashes only, like code_hash.
ALTER TABLE mobile_auth_transaction ADD COLUMN frame integer NOT NULL DEFAULT 0;
ALTER TABLE mobile_auth_transaction ADD COLUMN frame_at timestamptz;
ALTER TABLE mobile_auth_transaction ADD COLUMN previous_code_hash text;
ALTER TABLE mobile_auth_transaction ADD COLUMN previous_code_until timestamptz;

-- The current frame's code sealed under the master key (AES-GCM, bound to the transaction), so that
-- the portal can be given the current frame again until the next is due. Fetches never read it:
-- they compare code_hash. Null for a transaction whose code never changes.
ALTER TABLE mobile_auth_transaction ADD COLUMN frame_code_sealed bytea;
