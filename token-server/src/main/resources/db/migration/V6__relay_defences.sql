-- Defences against a relayed QR code (QRLJacking), docs/PROTOCOL.md "Proximity" and
-- "Reverse code entry". Existing types keep their behaviour: no proximity check, no code.
ALTER TABLE mobile_auth_type ADD COLUMN proximity text NOT NULL DEFAULT 'off';
ALTER TABLE mobile_auth_type ADD COLUMN reverse_code boolean NOT NULL DEFAULT false;

-- The type's policy is copied at initiation, so changing a type never changes open transactions.
ALTER TABLE mobile_auth_transaction ADD COLUMN proximity_policy text NOT NULL DEFAULT 'off';
ALTER TABLE mobile_auth_transaction ADD COLUMN reverse_code boolean NOT NULL DEFAULT false;
-- How close the fetching phone was to the browser; set at the fetch when the policy is not off.
ALTER TABLE mobile_auth_transaction ADD COLUMN proximity text;
-- SHA-256 of the transaction id and the code the phone showed after approving; the code itself is
-- never stored. Set means: approved by the phone, waiting for the browser to type the code.
ALTER TABLE mobile_auth_transaction ADD COLUMN reverse_code_hash text;
ALTER TABLE mobile_auth_transaction ADD COLUMN reverse_code_failures integer NOT NULL DEFAULT 0;
-- Why a refusal the user did not choose happened (result's not_authenticated_reason.detail).
ALTER TABLE mobile_auth_transaction ADD COLUMN reason_detail text;
