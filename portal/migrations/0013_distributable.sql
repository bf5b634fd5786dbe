-- Issue 10 §4: the schema stays distributable on hall_id (docs/architecture.md §1), as
-- portal/db/distributable-schema.test.ts checks from the catalog after every migration.
--
-- Citus refuses a foreign key that includes the distribution column with ON DELETE SET NULL or
-- SET DEFAULT, even with PostgreSQL 15's column list that leaves hall_id alone: 0009's
-- cases -> tickets (ON DELETE SET NULL (ticket_id)) could not be created on distributed tables.
-- The case still outlives the ticket row that opened it: a row trigger clears the case's ticket_id
-- before the ticket row goes, in the same statement and the same hall (co-located, one shard),
-- and the foreign key only checks. What a delete of a ticket leaves is exactly what 0009 left.

ALTER TABLE cases DROP CONSTRAINT cases_hall_id_ticket_id_fkey;
ALTER TABLE cases ADD CONSTRAINT cases_hall_id_ticket_id_fkey
  FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id);

CREATE FUNCTION tickets_release_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases SET ticket_id = NULL WHERE hall_id = OLD.hall_id AND ticket_id = OLD.ticket_id;
  RETURN OLD;
END $$;

CREATE TRIGGER tickets_release_case BEFORE DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_release_case();
