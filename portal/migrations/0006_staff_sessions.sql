-- Issue 8 §2: staff accounts and roles, password sign-in with server-side sessions, the audit log,
-- and the bearer tokens of hall displays. Same rules as 0001-0004: hall_id first in every key,
-- every foreign key includes hall_id, every statement touches one hall.

-- A member of staff of one hall. A person signs in with username and password; a machine client
-- of the counter API uses a staff API key (staff_tokens) that acts with this account's role.
CREATE TABLE staff (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  staff_id text NOT NULL CHECK (length(staff_id) BETWEEN 1 AND 64),
  -- NULL: an account without password sign-in (an API key holder from before accounts existed).
  username text CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  role text NOT NULL DEFAULT 'clerk' CHECK (role IN ('clerk', 'manager', 'admin')),
  -- `scrypt$N$r$p$<salt>$<key>` (portal/auth/password-hash.ts); NULL: no password sign-in.
  password_hash text CHECK (password_hash ~ '^scrypt\$'),
  -- Wrong passwords in a row. A lockout does not reset it: only a successful sign-in (or an
  -- admin's unlock) does, so every wrong password past the threshold locks again, for longer.
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until timestamptz,
  -- Lockouts earned in the current streak (reporting; the length comes from failed_logins).
  lockouts integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
  last_sign_in_at timestamptz,
  password_changed_at timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, staff_id),
  UNIQUE (hall_id, username),
  CHECK (password_hash IS NULL OR username IS NOT NULL)
);

-- Every staff id that already holds an API key becomes a clerk account without a password, so
-- each key has an account (and a role) to act as.
INSERT INTO staff (hall_id, staff_id, display_name, role)
SELECT DISTINCT hall_id, staff_id, staff_id, 'clerk' FROM staff_tokens
ON CONFLICT DO NOTHING;

ALTER TABLE staff_tokens
  ADD CONSTRAINT staff_tokens_staff_fkey FOREIGN KEY (hall_id, staff_id) REFERENCES staff (hall_id, staff_id);

-- A signed-in person's session. The cookie holds a random session id; only its SHA-256 is kept,
-- so a copy of this table signs nobody in. The CSRF token is the session's synchronizer token:
-- useless without the cookie, so kept as is (the page gets it back from GET /v1/staff/session).
CREATE TABLE staff_sessions (
  hall_id text NOT NULL,
  session_hash text NOT NULL CHECK (session_hash ~ '^[0-9a-f]{64}$'),
  staff_id text NOT NULL,
  csrf_token text NOT NULL CHECK (length(csrf_token) BETWEEN 16 AND 128),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Absolute end; the idle end is last_seen_at plus the idle timeout (portal/auth/staff-sessions.ts).
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  revoked_at timestamptz,
  PRIMARY KEY (hall_id, session_hash),
  FOREIGN KEY (hall_id, staff_id) REFERENCES staff (hall_id, staff_id),
  CHECK (expires_at > created_at)
);
-- The cookie decides the hall, as a token does: looked up by hash alone.
CREATE INDEX staff_sessions_session_hash ON staff_sessions (session_hash);
-- Revoking a person's sessions (sign-out everywhere, disable, password change), and purging old ones.
CREATE INDEX staff_sessions_staff ON staff_sessions (hall_id, staff_id) WHERE revoked_at IS NULL;
CREATE INDEX staff_sessions_expires ON staff_sessions (hall_id, expires_at);

-- Every staff action (and the portal's own, e.g. the end-of-day sweep), written in the
-- transaction of the action it records (portal/staff/audit.ts).
CREATE TABLE audit_log (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  audit_id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'kiosk', 'display', 'system')),
  actor_id text NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 64),
  action text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  target text CHECK (length(target) <= 200),
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
  PRIMARY KEY (hall_id, audit_id)
);
CREATE INDEX audit_log_at ON audit_log (hall_id, at);
CREATE INDEX audit_log_actor ON audit_log (hall_id, actor_kind, actor_id, at);

-- Hall displays (a TV on the wall): bearer tokens, hashed like kiosk tokens. At most one active
-- token per display; a new one is issued by revoking the old.
CREATE TABLE display_tokens (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  display_id text NOT NULL CHECK (display_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  revoked_at timestamptz,
  PRIMARY KEY (hall_id, token_hash)
);
CREATE INDEX display_tokens_token_hash ON display_tokens (token_hash);
CREATE UNIQUE INDEX display_tokens_one_active ON display_tokens (hall_id, display_id) WHERE revoked_at IS NULL;
