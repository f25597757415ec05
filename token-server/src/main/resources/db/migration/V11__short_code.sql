-- The short code a person can type instead of scanning (docs/PROTOCOL.md, "The short code"):
-- stored only as an HMAC under a key derived from the master key, never in the clear.
ALTER TABLE mobile_auth_transaction ADD COLUMN short_code_hash text;

-- Finds a pending transaction by its short code, and keeps short codes unique among pending
-- transactions: an initiation that draws a code already pending writes nothing and draws again.
-- A code is usable only while its transaction is PENDING, so only those rows are in the index.
CREATE UNIQUE INDEX mobile_auth_transaction_short_code ON mobile_auth_transaction (short_code_hash)
    WHERE status = 'PENDING';
