-- The hot path keeps mobile-auth types in memory and checks, inside the statement that starts a
-- transaction, that the type it validated against is still the stored one: every change of a
-- type's row moves its version on, whoever makes it (docs/PERFORMANCE.md, "A lean hot path").
ALTER TABLE mobile_auth_type ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION mobile_auth_type_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER mobile_auth_type_version BEFORE UPDATE ON mobile_auth_type
    FOR EACH ROW EXECUTE FUNCTION mobile_auth_type_next_version();
