-- Issue 9 §4-5: cases (办件) and their progress, and electronic certificates (电子证照) signed with
-- the hall's Ed25519 key (portal/cases/). Same rules as 0001-0007: hall_id first in every primary
-- key, every foreign key includes hall_id, every statement touches one hall.

-- A case, opened when a ticket is completed with a case number (办件编号). The citizen is held as
-- the ticket held them: the hall's HMAC of the ID number (never the number) and the masked name,
-- copied from the ticket at opening, so the case keeps them when the ticket's are purged.
CREATE TABLE cases (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  -- Unique in the hall: the citizen looks a case up by it.
  case_number text NOT NULL CHECK (case_number ~ '^[A-Za-z0-9-]{1,40}$'),
  -- The visit that opened it; NULL once that ticket row is gone (the case outlives it).
  ticket_id uuid,
  service_id text NOT NULL,
  citizen_hmac text CHECK (citizen_hmac ~ '^[0-9a-f]{64}$'),
  masked_name text CHECK (length(masked_name) BETWEEN 1 AND 40),
  status text NOT NULL DEFAULT 'accepted'
    CHECK (status IN ('accepted', 'processing', 'concluded', 'rejected', 'ready-for-pickup', 'picked-up')),
  -- The hall's business day of acceptance, and the day the service guide's promised time limit
  -- (working days of the hall calendar) falls on; NULL when the guide promises none.
  accepted_day date NOT NULL,
  due_day date CHECK (due_day >= accepted_day),
  -- The clerk who completed the ticket (a staff id, like tickets.staff_id: not a foreign key).
  opened_by text,
  opened_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, case_number),
  -- One case per visit.
  UNIQUE (hall_id, ticket_id),
  FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id) ON DELETE SET NULL (ticket_id),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);
-- A citizen's cases (the kiosk asks by HMAC), and the staff list, newest first.
CREATE INDEX cases_citizen ON cases (hall_id, citizen_hmac, opened_at DESC) WHERE citizen_hmac IS NOT NULL;
CREATE INDEX cases_opened ON cases (hall_id, opened_at DESC);
CREATE INDEX cases_status ON cases (hall_id, status, opened_at DESC);
-- What the personal-data purge looks for (portal/cases/case-retention.ts): finished cases that
-- still hold their citizen; it shrinks as they are purged.
CREATE INDEX cases_citizen_retention ON cases (hall_id, updated_at)
  WHERE citizen_hmac IS NOT NULL AND status IN ('rejected', 'picked-up');

-- Every status a case took, oldest first: the timeline the citizen sees (status, time, note) and
-- who set it (staff only).
CREATE TABLE case_timeline (
  hall_id text NOT NULL,
  case_number text NOT NULL,
  seq integer NOT NULL CHECK (seq > 0),
  status text NOT NULL
    CHECK (status IN ('accepted', 'processing', 'concluded', 'rejected', 'ready-for-pickup', 'picked-up')),
  -- Shown to the citizen as written: plain text.
  note text CHECK (length(note) <= 500),
  staff_id text,
  at timestamptz NOT NULL,
  PRIMARY KEY (hall_id, case_number, seq),
  FOREIGN KEY (hall_id, case_number) REFERENCES cases (hall_id, case_number) ON DELETE CASCADE
);

-- The hall's certificate signing keys (Ed25519). The public key is published (every kiosk pulls
-- it); the private key is stored only sealed: AES-256-GCM under a key-encryption key the portal
-- process holds outside the database (portal/cases/key-sealing.ts), with the hall and key id as
-- associated data, so a database dump or backup alone cannot sign. `kek_id` names that key (a
-- fingerprint, not the key): a portal with another KEK cannot open the sealed key and signs with
-- a new one of its own, while every key ever used stays here to verify what it signed.
CREATE TABLE hall_signing_keys (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  -- Fingerprint of the public key (base64url of SHA-256 of the SPKI, first 12 bytes).
  key_id text NOT NULL CHECK (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  algorithm text NOT NULL DEFAULT 'ed25519' CHECK (algorithm = 'ed25519'),
  -- SPKI DER.
  public_key bytea NOT NULL CHECK (octet_length(public_key) BETWEEN 32 AND 200),
  -- nonce (12) || ciphertext of the PKCS#8 DER || GCM tag (16).
  private_key_sealed bytea NOT NULL,
  kek_id text NOT NULL CHECK (kek_id ~ '^[0-9a-f]{16}$'),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- No longer used to sign (still used to verify).
  retired_at timestamptz,
  PRIMARY KEY (hall_id, key_id)
);
-- One signing key per hall and KEK: portals starting at once agree on it (INSERT … ON CONFLICT).
CREATE UNIQUE INDEX hall_signing_keys_active ON hall_signing_keys (hall_id, kek_id) WHERE retired_at IS NULL;

-- A signed e-certificate: exactly the bytes signed (the canonical JSON payload,
-- common/domain/certificate-code.ts) and the signature; the slip's code is rebuilt from them.
CREATE TABLE certificates (
  hall_id text NOT NULL,
  certificate_id uuid NOT NULL,
  case_number text NOT NULL,
  key_id text NOT NULL,
  payload text NOT NULL,
  signature bytea NOT NULL CHECK (octet_length(signature) = 64),
  issued_at timestamptz NOT NULL,
  PRIMARY KEY (hall_id, certificate_id),
  -- One certificate per case: it is issued when the case is concluded, which happens once.
  UNIQUE (hall_id, case_number),
  FOREIGN KEY (hall_id, case_number) REFERENCES cases (hall_id, case_number),
  FOREIGN KEY (hall_id, key_id) REFERENCES hall_signing_keys (hall_id, key_id)
);
