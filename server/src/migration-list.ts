/**
 * The server's schema, as numbered migrations (server/src/migrations.ts runs them). Append only: a migration once
 * released is never edited.
 *
 * Ready for Citus, distributed by office (server/README.md): every table that holds an office's data carries
 * office_code, and every primary key and unique constraint includes it; the small tables shared by all offices
 * (offices, the information-system simulator's answers, the schema version) are reference tables.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'offices_devices_events',
    sql: /* sql */ `
      -- Reference tables (create_reference_table on Citus).
      CREATE TABLE offices (
        code    TEXT PRIMARY KEY,
        kind    TEXT NOT NULL CHECK (kind IN ('district', 'center', 'city')),
        serves  TEXT NOT NULL DEFAULT '[]',
        name_kk TEXT NOT NULL,
        name_ru TEXT NOT NULL,
        bin     TEXT NOT NULL
      );
      CREATE TABLE is_answers (
        request_id  TEXT PRIMARY KEY,
        envelope    TEXT NOT NULL,
        answered_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      -- Distributed by office_code (create_distributed_table(…, 'office_code'), all co-located).
      CREATE TABLE devices (
        office_code      TEXT NOT NULL,
        workstation_code TEXT NOT NULL,
        cert_sha256      TEXT NOT NULL,
        cert_pem         TEXT NOT NULL,
        serial           TEXT NOT NULL,
        enrolled_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_seen_at     TIMESTAMPTZ,
        clock_offset_ms  BIGINT,
        PRIMARY KEY (office_code, workstation_code, cert_sha256)
      );
      -- The server's order of each office's events: one row per office, locked by the transaction that takes a
      -- number until it commits, so the numbers become visible in order (a cursor never skips one).
      CREATE TABLE office_seq (
        office_code TEXT PRIMARY KEY,
        last        BIGINT NOT NULL
      );
      CREATE TABLE events (
        office_code       TEXT NOT NULL,
        server_seq        BIGINT NOT NULL,
        id                TEXT NOT NULL,
        case_id           TEXT NOT NULL,
        seq               INTEGER NOT NULL,
        case_version      INTEGER NOT NULL,
        type              TEXT NOT NULL,
        payload           TEXT NOT NULL,
        actor_iin         TEXT NOT NULL,
        actor_role        TEXT NOT NULL,
        actor_cert_sha256 TEXT NOT NULL,
        at                TEXT NOT NULL,
        prev_hash         TEXT,
        hash              TEXT NOT NULL,
        signature         BYTEA NOT NULL,
        legacy            TEXT,
        device            TEXT NOT NULL,
        received_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, server_seq),
        UNIQUE (office_code, id),
        UNIQUE (office_code, case_id, seq)
      );
      -- Each case's state as the shared projection computes it (shared/events/projection.ts), for the next check.
      CREATE TABLE cases (
        office_code   TEXT NOT NULL,
        case_id       TEXT NOT NULL,
        case_number   TEXT NOT NULL,
        channel       TEXT NOT NULL,
        stage         TEXT NOT NULL,
        version       INTEGER NOT NULL,
        head_hash     TEXT NOT NULL,
        applicant_iin TEXT NOT NULL,
        state         TEXT NOT NULL,
        updated_seq   BIGINT NOT NULL,
        PRIMARY KEY (office_code, case_id)
      );
      CREATE TABLE blobs (
        office_code TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        media_type  TEXT NOT NULL,
        size        INTEGER NOT NULL,
        bytes       BYTEA NOT NULL,
        stored_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, sha256)
      );
      -- Events refused at push, with the stored reason (never applied; they never block other cases).
      CREATE TABLE refusals (
        office_code TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        case_id     TEXT NOT NULL,
        reason      TEXT NOT NULL,
        params      TEXT NOT NULL DEFAULT '{}',
        event       TEXT NOT NULL,
        device      TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, event_id)
      );
      CREATE TABLE request_nonces (
        office_code      TEXT NOT NULL,
        workstation_code TEXT NOT NULL,
        nonce            TEXT NOT NULL,
        seen_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, workstation_code, nonce)
      );
      -- The highest number each workstation issued (case, journal, decision): a re-enrolled one continues above it.
      CREATE TABLE number_highs (
        office_code TEXT NOT NULL,
        scope       TEXT NOT NULL,
        last        INTEGER NOT NULL,
        PRIMARY KEY (office_code, scope)
      );
    `,
  },
  {
    version: 2,
    name: 'conflicts_and_flags',
    sql: /* sql */ `
      -- Two signed acts that cannot both be in a case's line, never merged: the losing act(s) kept whole
      -- (the wire form with the signature), the act that holds the place, and the person's resolution (by event).
      -- server_seq is a number of the office's sequence (office_seq), taken again when the conflict is resolved, so
      -- one pull cursor carries the events and the conflicts. Distributed by office_code.
      CREATE TABLE conflicts (
        office_code      TEXT NOT NULL,
        id               TEXT NOT NULL,
        case_id          TEXT NOT NULL,
        kind             TEXT NOT NULL CHECK (kind IN ('same_version', 'same_family')),
        other_case_id    TEXT,
        holding_event_id TEXT NOT NULL,
        losing           TEXT NOT NULL,
        status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        resolved_by      TEXT,
        resolution       TEXT,
        server_seq       BIGINT NOT NULL,
        device           TEXT NOT NULL,
        detected_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, id),
        UNIQUE (office_code, server_seq)
      );
      CREATE INDEX conflicts_by_case ON conflicts (office_code, case_id);
      -- The clock flags the server gave an act at push (JSON array of EVENT_FLAGS); the act itself is unchanged.
      ALTER TABLE events ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    // The Center channel (server/README.md): a Center case lives in its district's partition and names
    // its Center; the Center's devices pull a copy of its cases' events from a feed in the Center's own partition.
    version: 3,
    name: 'center_channel',
    sql: /* sql */ `
      ALTER TABLE cases ADD COLUMN center_code TEXT;
      CREATE INDEX cases_center ON cases (office_code, center_code, case_id) WHERE center_code IS NOT NULL;
      -- Distributed by office_code = the Center's code (co-located with the other tables by value).
      CREATE TABLE center_events (
        office_code       TEXT NOT NULL,
        server_seq        BIGINT NOT NULL,
        district_code     TEXT NOT NULL,
        district_seq      BIGINT NOT NULL,
        id                TEXT NOT NULL,
        case_id           TEXT NOT NULL,
        seq               INTEGER NOT NULL,
        case_version      INTEGER NOT NULL,
        type              TEXT NOT NULL,
        payload           TEXT NOT NULL,
        actor_iin         TEXT NOT NULL,
        actor_role        TEXT NOT NULL,
        actor_cert_sha256 TEXT NOT NULL,
        at                TEXT NOT NULL,
        prev_hash         TEXT,
        hash              TEXT NOT NULL,
        signature         BYTEA NOT NULL,
        legacy            TEXT,
        flags             TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (office_code, server_seq),
        UNIQUE (office_code, district_code, district_seq)
      );
    `,
  },
  {
    // Reference data from the center. A reference table (create_reference_table on Citus): every office
    // reads all of it. ref_seq is the reference order of its own, taken under an advisory lock so that a cursor
    // never skips a number (server/src/reference/store.ts).
    version: 4,
    name: 'reference_acts',
    sql: /* sql */ `
      CREATE TABLE reference_acts (
        ref_seq     BIGINT PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        act         TEXT NOT NULL,
        received_from TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // A device replaced by another for the same workstation code (set up again after a disk loss) is retired, not
    // deleted: its past requests stay attributable, and it is refused from its next one (server/src/store-devices.ts).
    version: 5,
    name: 'devices_retired',
    sql: /* sql */ `
      ALTER TABLE devices ADD COLUMN retired_at TIMESTAMPTZ;
      ALTER TABLE devices ADD COLUMN retired_by TEXT;
    `,
  },
  {
    // The devices as an administrator sees and revokes them (`npm run server -- devices list|revoke`): the app
    // version and protocol each one last spoke, how far its last pull read, and a revocation by the server's
    // administrator (effective from the device's next request, before the PKI's CRL is published).
    version: 6,
    name: 'device_operations',
    sql: /* sql */ `
      ALTER TABLE devices ADD COLUMN app_version TEXT;
      ALTER TABLE devices ADD COLUMN protocol INTEGER;
      ALTER TABLE devices ADD COLUMN last_pull_at TIMESTAMPTZ;
      ALTER TABLE devices ADD COLUMN last_pull_cursor BIGINT;
      ALTER TABLE devices ADD COLUMN revoked_at TIMESTAMPTZ;
      ALTER TABLE devices ADD COLUMN revoked_reason TEXT;
    `,
  },
  {
    // The city's figures count the regulation's deadlines of every case (server/src/reports/store.ts): the days the
    // missed ones stopped on and the due days of the open ones, derived from the projected state by PostgreSQL itself
    // (never written by the write path, never drifting from the state), so that the count reads these small arrays
    // and not every case's whole state.
    version: 7,
    name: 'case_deadline_days',
    sql: /* sql */ `
      ALTER TABLE cases ADD COLUMN deadlines_missed_on JSONB GENERATED ALWAYS AS (jsonb_path_query_array(state::jsonb, '$.deadlines[*] ? (@.met == false).stoppedOn')) STORED;
      ALTER TABLE cases ADD COLUMN deadlines_open_due JSONB GENERATED ALWAYS AS (jsonb_path_query_array(state::jsonb, '$.deadlines[*] ? (@.stoppedOn == null).due')) STORED;
    `,
  },
  {
    // Each office's staff register (shared/contract/staff-protocol.ts): the signed acts of its administrator in an
    // order of its own per office (seq taken under the office's advisory lock, so a cursor never skips one), and the
    // entries they stand for, read at every push to check each event's signer. Distributed by office_code, as the
    // office's events are: every key includes it.
    version: 8,
    name: 'staff_register',
    sql: /* sql */ `
      CREATE TABLE staff_acts (
        office_code   TEXT NOT NULL,
        seq           BIGINT NOT NULL,
        id            TEXT NOT NULL,
        act           TEXT NOT NULL,
        received_from TEXT NOT NULL,
        received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (office_code, seq),
        UNIQUE (office_code, id)
      );
      CREATE TABLE staff_register (
        office_code TEXT NOT NULL,
        iin         TEXT NOT NULL,
        role        TEXT NOT NULL,
        from_date   TEXT NOT NULL,
        to_date     TEXT,
        name        TEXT NOT NULL,
        act_id      TEXT NOT NULL,
        act_at      TEXT NOT NULL,
        PRIMARY KEY (office_code, iin, role, from_date)
      );
    `,
  },
  {
    // The city's figures count decisions by outcome (server/src/reports/store.ts): the outcome of each signed
    // decision, derived from its payload by PostgreSQL itself as the event is stored (never written by the write
    // path), so that a year's count reads a short column instead of parsing every decision's payload.
    version: 9,
    name: 'decision_outcome',
    sql: /* sql */ `
      ALTER TABLE events ADD COLUMN decision_outcome TEXT GENERATED ALWAYS AS (CASE WHEN type = 'decision.signed' THEN payload::jsonb #>> '{decision,outcome}' END) STORED;
    `,
  },
  {
    // A batch that opens cases asks for the open cases of their applicants (the same family opened twice while
    // apart is kept as a conflict): by the office's applicant, not by reading every case of the office.
    version: 10,
    name: 'cases_by_applicant',
    sql: /* sql */ `
      CREATE INDEX cases_applicant ON cases (office_code, applicant_iin);
    `,
  },
];
