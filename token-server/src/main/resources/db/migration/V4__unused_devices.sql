-- Device registration is anonymous, so devices that never get a user are deleted by the
-- retention purge after tokenserver.retention.unused-device-age. A device is marked when its
-- first user registers; one that has had a user is kept even after all its users left.
ALTER TABLE device ADD COLUMN first_user_registered_at timestamptz;

-- Devices with a user now, or with one in the audit trail, have had a user.
UPDATE device d SET first_user_registered_at = d.created_at
WHERE EXISTS (SELECT 1 FROM registration r WHERE r.device_id = d.device_id)
   OR EXISTS (SELECT 1 FROM audit_event a WHERE a.device_id = d.device_id AND a.event_type = 'USER_REGISTERED');

-- Holds only the devices the purge may delete.
CREATE INDEX device_without_user ON device (created_at) WHERE first_user_registered_at IS NULL;
