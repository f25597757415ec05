-- The retention purge finds finished transactions and callbacks by age without reading the
-- open ones; both indexes hold only rows the purge may delete.
CREATE INDEX mobile_auth_transaction_finished ON mobile_auth_transaction (finished_at)
    WHERE status NOT IN ('PENDING', 'SCANNED');
CREATE INDEX callback_outbox_finished ON callback_outbox (created_at)
    WHERE delivered_at IS NOT NULL OR abandoned_at IS NOT NULL;
