-- Qorgau on PostgreSQL 15: the whole server-side schema.
--
-- Installed by one role R (LOGIN, CREATEROLE, not superuser, owner of the empty database) in ONE
-- transaction, sent as one simple-query string per part (plain SQL, no psql meta-commands):
--   1. the part before `-- @@ schema`   (as R: group roles, R may act as qorgau_owner)
--   2. SET ROLE qorgau_owner; the part between `-- @@ schema` and `-- @@ grants` (schema 2's part,
--      from `-- @@ v2`, and schema 3's, from `-- @@ v3`, included; an upgrade of a database of schema 1
--      runs the part from `-- @@ v2` alone, as qorgau_owner, then fills the new columns, and one of
--      schema 2 the part from `-- @@ v3`: PostgresBackend.upgrade)
--   3. the client's rows (meta, users, the first qorgau.audit(...)), or an import's verbatim rows
--   4. the part after `-- @@ grants`     (grants; then RESET ROLE and R leaves qorgau_owner)
--
-- Instants are float8 seconds since 1970 UTC, as in the SQLite file. Who may do what is decided
-- here, by the server: no group role may write any table; every write is a SECURITY DEFINER
-- function that checks the caller (session_user against qorgau.users), validates like the Swift
-- client (RULES.md "What is refused"), writes, and appends to the hash-chained audit trail in the
-- same transaction. Refusals raise SQLSTATE 42501 (role or district), 23514 (a rule), 23505 (a
-- number or login already used), P0002 (no such order, breach or user); messages start 'qorgau: '.

-- Group roles are cluster-wide: another Qorgau database on this server may have made them already.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['qorgau_owner', 'qorgau_staff', 'qorgau_liaison', 'qorgau_supervisor'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            -- Another first install on this server may be making it at this moment: then it exists.
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
    -- Makes logins and grants the groups, only through qorgau.grant_login and qorgau.revoke_login (which it
    -- owns): so that no person needs CREATEROLE once Qorgau is installed (see the end of this file).
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'qorgau_admin') THEN
        BEGIN
            CREATE ROLE qorgau_admin NOLOGIN CREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$roles$;

GRANT qorgau_owner, qorgau_admin TO current_user;

DO $db$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'qorgau: the database must use the UTF8 encoding, not %', current_setting('server_encoding')
            USING ERRCODE = 'feature_not_supported';
    END IF;
    EXECUTE format('GRANT CREATE ON DATABASE %I TO qorgau_owner', current_database());
END
$db$;

-- @@ schema

CREATE SCHEMA qorgau;

-- Functions this role creates are not executable by PUBLIC (the grants below name who may run what).
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- Tables
------------------------------------------------------------------------------------------------

CREATE TABLE qorgau.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE qorgau.users (
    login text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('staff', 'liaison', 'supervisor')),
    district text NOT NULL DEFAULT '',
    disabled boolean NOT NULL DEFAULT false,
    created_at float8 NOT NULL,
    created_by text NOT NULL
);

CREATE TABLE qorgau.orders (
    id bigserial PRIMARY KEY,
    number text NOT NULL,
    number_key text NOT NULL UNIQUE,            -- lower(trimmed number): set by the server
    kind text NOT NULL CHECK (kind IN ('protective-order', 'special-requirements')),
    issued float8 NOT NULL,
    served float8,
    term_days int NOT NULL,
    check_interval_days int NOT NULL,
    district text NOT NULL,
    officer text NOT NULL,
    restrictions text NOT NULL,
    survivor bytea NOT NULL,                    -- sealed to the database's public key
    survivor_initials text NOT NULL,
    respondent_name text NOT NULL,
    respondent_birth_date text,                 -- 'YYYY-MM-DD'
    respondent_address text NOT NULL,
    respondent_phone text NOT NULL,
    revoked float8,
    revocation_reason text,
    district_now text NOT NULL,                 -- district after corrections: set by the server
    expires float8,                             -- served + term_days local calendar days: set by the server
    ends float8,                                -- least(expires, revoked): set by the server
    created_at float8 NOT NULL,
    created_by text NOT NULL
);
CREATE INDEX orders_ends ON qorgau.orders (ends) WHERE ends IS NOT NULL;
CREATE INDEX orders_served ON qorgau.orders (served) WHERE served IS NOT NULL;
CREATE INDEX orders_unserved ON qorgau.orders (issued) WHERE served IS NULL;
CREATE INDEX orders_district_now ON qorgau.orders (district_now);

CREATE TABLE qorgau.checks (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES qorgau.orders (id),
    at float8 NOT NULL,
    officer text NOT NULL,
    method text NOT NULL CHECK (method IN ('visit', 'phone', 'summons')),
    outcome text NOT NULL CHECK (outcome IN ('compliant', 'breach', 'not-located')),
    counted boolean NOT NULL,
    note text NOT NULL,
    recorded_at float8 NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT checks_counted_by_outcome CHECK (counted = (outcome <> 'not-located'))
);
CREATE INDEX checks_order ON qorgau.checks (order_id, at);
CREATE INDEX checks_counted ON qorgau.checks (order_id, at) WHERE counted;

CREATE TABLE qorgau.breaches (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES qorgau.orders (id),
    occurred float8 NOT NULL,
    reported float8 NOT NULL,
    reported_by text NOT NULL,
    description text NOT NULL,
    check_id bigint REFERENCES qorgau.checks (id),
    closed float8,
    action text,
    closed_by text,
    recorded_at float8 NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT breaches_closing_whole CHECK ((closed IS NULL) = (action IS NULL) AND (closed IS NULL) = (closed_by IS NULL))
);
CREATE INDEX breaches_order ON qorgau.breaches (order_id);
CREATE INDEX breaches_occurred ON qorgau.breaches (occurred);
CREATE INDEX breaches_open ON qorgau.breaches (order_id) WHERE closed IS NULL;
CREATE INDEX breaches_closed ON qorgau.breaches (closed) WHERE closed IS NOT NULL;

-- Corrections of an order's details: new entries with a reason, applied on reading.
CREATE TABLE qorgau.corrections (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES qorgau.orders (id),
    field text NOT NULL CHECK (field IN ('district', 'officer', 'restrictions', 'respondent-address',
        'respondent-phone', 'survivor-phone', 'survivor-contact', 'survivor-notes')),
    value text,                                 -- plain fields only
    sealed bytea,                               -- survivor fields only, sealed like orders.survivor
    reason text NOT NULL,
    at float8 NOT NULL,
    account text NOT NULL,
    CONSTRAINT corrections_value_or_sealed CHECK (
        CASE WHEN field LIKE 'survivor-%' THEN value IS NULL AND sealed IS NOT NULL
             ELSE value IS NOT NULL AND sealed IS NULL END)
);
CREATE INDEX corrections_order ON qorgau.corrections (order_id, id);

-- Who did what, when: append-only and chained (see qorgau.audit).
CREATE TABLE qorgau.history (
    id bigint PRIMARY KEY,
    at numeric(20, 6) NOT NULL,
    account text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint,
    detail text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX history_entity ON qorgau.history (entity, entity_id);
CREATE INDEX history_account ON qorgau.history (account, at);

-- The last entry's id and hash, kept apart, so that removing the last entries is noticed too.
CREATE TABLE qorgau.audit_head (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    id bigint NOT NULL,
    hash text NOT NULL
);

------------------------------------------------------------------------------------------------
-- Helpers (internal unless granted below)
------------------------------------------------------------------------------------------------

-- What the Swift client trims (CharacterSet.whitespaces: tab and the space separators).
CREATE FUNCTION qorgau.blank_chars() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$
    SELECT ' ' || chr(9) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195)
        || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
        || chr(8239) || chr(8287) || chr(12288)
$fn$;

-- The key that makes two numbers the same order: trimmed, lower-cased (Unicode rules, as Swift's
-- lowercased(), whatever the database's locale). Made below with the ICU root collation when there is one.
DO $key$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collname = 'und-x-icu') THEN
        CREATE FUNCTION qorgau.number_key(number text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $fn$ SELECT lower(btrim(number, qorgau.blank_chars()) COLLATE "und-x-icu") $fn$;
    ELSE
        CREATE FUNCTION qorgau.number_key(number text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $fn$ SELECT lower(btrim(number, qorgau.blank_chars())) $fn$;
    END IF;
END
$key$;

-- Length as a person counts it, close to Swift's String.count (grapheme clusters): combining marks,
-- variation selectors, zero-width joiners, skin tones and tag characters add nothing. Never more than
-- Swift's count for ordinary text, so the server accepts whatever the client accepts.
CREATE FUNCTION qorgau.text_length(t text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$
    SELECT char_length(regexp_replace(t,
        '[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]',
        '', 'g'))
$fn$;

-- A person's text, trimmed; or a refusal (23514) naming the field, never quoting it.
CREATE FUNCTION qorgau.clean(t text, field text, max_length int, required boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    v text := btrim(coalesce(t, ''), qorgau.blank_chars());
BEGIN
    IF required AND v = '' THEN
        RAISE EXCEPTION 'qorgau: the % is empty', field USING ERRCODE = 'check_violation';
    END IF;
    IF qorgau.text_length(v) > max_length THEN
        RAISE EXCEPTION 'qorgau: the % is longer than % characters', field, max_length USING ERRCODE = 'check_violation';
    END IF;
    -- C0, DEL, C1 and the bidirectional formatting characters (NUL cannot be in a text at all).
    IF v ~ '[\u0001-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]' THEN
        RAISE EXCEPTION 'qorgau: the % contains control characters', field USING ERRCODE = 'check_violation';
    END IF;
    -- Invisible characters: zero-width space, byte-order mark, line and paragraph separators, tags.
    IF v ~ '[\u200b\ufeff\u2028\u2029\U000e0000-\U000e007f]' THEN
        RAISE EXCEPTION 'qorgau: the % contains invisible characters', field USING ERRCODE = 'check_violation';
    END IF;
    RETURN v;
END
$fn$;

CREATE FUNCTION qorgau.rules() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = qorgau, pg_temp
AS $fn$ SELECT value::jsonb FROM qorgau.meta WHERE key = 'rules' $fn$;

CREATE FUNCTION qorgau.time_zone() RETURNS text
LANGUAGE sql STABLE
SET search_path = qorgau, pg_temp
AS $fn$ SELECT value FROM qorgau.meta WHERE key = 'timeZone' $fn$;

-- A limit of the rule set, or a refusal when the database holds no usable rule set.
CREATE FUNCTION qorgau.rule_int(r jsonb, path text[]) RETURNS int
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
    v int;
BEGIN
    v := (r #>> path)::int;
    IF v IS NULL THEN
        RAISE EXCEPTION 'qorgau: the rule set has no %', array_to_string(path, '.') USING ERRCODE = 'check_violation';
    END IF;
    RETURN v;
END
$fn$;

-- The server's clock, as the file stores instants.
CREATE FUNCTION qorgau.now_s() RETURNS float8
LANGUAGE sql STABLE
AS $fn$ SELECT extract(epoch FROM now())::float8 $fn$;

-- An instant a person gave: present, finite, and not more than futureToleranceMinutes ahead of now.
CREATE FUNCTION qorgau.instant(at float8, what text, r jsonb) RETURNS float8
LANGUAGE plpgsql STABLE
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF at IS NULL THEN
        RAISE EXCEPTION 'qorgau: the % is missing', what USING ERRCODE = 'check_violation';
    END IF;
    IF at IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) OR at < -62135596800 OR at > 253402300799 THEN
        RAISE EXCEPTION 'qorgau: the % is not a time', what USING ERRCODE = 'check_violation';
    END IF;
    IF at > qorgau.now_s() + 60.0 * qorgau.rule_int(r, '{horizons,futureToleranceMinutes}') THEN
        RAISE EXCEPTION 'qorgau: the % is in the future', what USING ERRCODE = 'check_violation';
    END IF;
    RETURN at;
END
$fn$;

-- served + term_days calendar days at the same local clock time in the database's zone (RULES.md 1).
-- The whole-second shift is added to the served instant itself, so no sub-microsecond part is lost.
CREATE FUNCTION qorgau.expires_at(served float8, term_days int, tz text) RETURNS float8
LANGUAGE sql STABLE
AS $fn$
    SELECT served + (extract(epoch FROM ((to_timestamp(served) AT TIME ZONE tz) + make_interval(days => term_days)) AT TIME ZONE tz)
                     - extract(epoch FROM to_timestamp(served)))::float8
$fn$;

-- Compact JSON with sorted keys, as the Swift client writes an audit detail.
CREATE FUNCTION qorgau.json_text(j jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $fn$
BEGIN
    IF jsonb_typeof(j) IS DISTINCT FROM 'object' THEN
        RETURN j::text;
    END IF;
    RETURN '{' || coalesce((SELECT string_agg(to_json(e.key)::text || ':' || qorgau.json_text(e.value), ',' ORDER BY e.key COLLATE "C")
                            FROM jsonb_each(j) AS e), '') || '}';
END
$fn$;

------------------------------------------------------------------------------------------------
-- The audit trail: the same chain as Sources/OrderStore/Audit.swift
--   canonical = id | at (6 decimals) | account | action | entity | entity_id or '' | detail   (| = U+001F)
--   hash      = hex(sha256(prev_hash || '\n' || canonical)),   the first prev_hash = 64 zeros
------------------------------------------------------------------------------------------------

CREATE FUNCTION qorgau.audit(action text, entity text, entity_id bigint, detail jsonb) RETURNS bigint
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    head record;
    next_id bigint;
    prev text;
    stamp numeric(20, 6);
    body text;
    canonical text;
    digest text;
BEGIN
    SELECT h.id, h.hash INTO head FROM qorgau.audit_head AS h WHERE h.one FOR UPDATE;
    IF FOUND THEN
        next_id := head.id + 1;
        prev := head.hash;
    ELSIF EXISTS (SELECT 1 FROM qorgau.history) THEN
        RAISE EXCEPTION 'qorgau: the audit trail has entries but no recorded head' USING ERRCODE = 'data_corrupted';
    ELSE
        next_id := 1;
        prev := repeat('0', 64);
    END IF;
    stamp := round(extract(epoch FROM clock_timestamp()), 6);
    body := qorgau.json_text(coalesce(audit.detail, '{}'::jsonb));
    canonical := next_id::text || chr(31) || stamp::text || chr(31) || session_user::text || chr(31) || audit.action
        || chr(31) || audit.entity || chr(31) || coalesce(audit.entity_id::text, '') || chr(31) || body;
    digest := encode(sha256(convert_to(prev || chr(10) || canonical, 'UTF8')), 'hex');
    INSERT INTO qorgau.history (id, at, account, action, entity, entity_id, detail, prev_hash, hash)
    VALUES (next_id, stamp, session_user, audit.action, audit.entity, audit.entity_id, body, prev, digest);
    IF next_id = 1 THEN
        INSERT INTO qorgau.audit_head (one, id, hash) VALUES (true, next_id, digest);
    ELSE
        UPDATE qorgau.audit_head AS h SET id = next_id, hash = digest WHERE h.one;
    END IF;
    PERFORM pg_notify('qorgau', '');
    RETURN next_id;
END
$fn$;

-- Every write takes the audit head's lock first: writes are serialised, and the checks that follow
-- (a number already used, a breach already closed) see every write committed before.
CREATE FUNCTION qorgau.serialise() RETURNS void
LANGUAGE sql
SET search_path = qorgau, pg_temp
AS $fn$ SELECT 1 FROM qorgau.audit_head WHERE one FOR UPDATE $fn$;

-- True only inside the transaction of a rekey: qorgau.set_vault, and nothing else (no role writes meta), wrote
-- the mark in this very transaction (the row's xmin), naming it (a 64-bit transaction ID, never used again).
-- The guards of orders and corrections let a sealed survivor value be rewritten only then.
CREATE FUNCTION qorgau.rekeying() RETURNS boolean
LANGUAGE sql
SET search_path = qorgau, pg_temp
AS $fn$
    SELECT EXISTS (SELECT 1 FROM qorgau.meta AS m WHERE m.key = 'rekeyTransaction'
                   AND m.value = pg_current_xact_id()::text AND m.xmin = pg_current_xact_id()::xid)
$fn$;

------------------------------------------------------------------------------------------------
-- Who is calling
------------------------------------------------------------------------------------------------

-- The enabled users row of the connected account (session_user: SET ROLE does not change it).
CREATE FUNCTION qorgau.me() RETURNS qorgau.users
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users;
BEGIN
    SELECT * INTO u FROM qorgau.users AS x WHERE x.login = session_user::text AND NOT x.disabled;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'qorgau: % is not an enabled Qorgau user', session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN u;
END
$fn$;

-- NULL (sees every district) for supervisors and for people without a district; else their district.
CREATE FUNCTION qorgau.my_district() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
    SELECT CASE WHEN u.role = 'supervisor' OR u.district = '' THEN NULL ELSE u.district END FROM qorgau.me() AS u
$fn$;

-- The caller, when their role is one of `roles`; else a refusal naming what they wanted.
CREATE FUNCTION qorgau.require_role(roles text[], wanted text) RETURNS qorgau.users
LANGUAGE plpgsql STABLE
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.me();
BEGIN
    IF NOT (u.role = ANY (roles)) THEN
        RAISE EXCEPTION 'qorgau: % (%) may not %', u.login, u.role, wanted USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN u;
END
$fn$;

-- An order the caller may act on (their district, unless they see all), locked for the write.
CREATE FUNCTION qorgau.order_for(order_id bigint, u qorgau.users, wanted text) RETURNS qorgau.orders
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    o qorgau.orders;
BEGIN
    SELECT * INTO o FROM qorgau.orders AS x WHERE x.id = order_for.order_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'qorgau: no order with ID %', coalesce(order_for.order_id::text, 'NULL') USING ERRCODE = 'no_data_found';
    END IF;
    IF u.role <> 'supervisor' AND u.district <> '' AND o.district_now <> u.district THEN
        RAISE EXCEPTION 'qorgau: % (%) may not % an order of another district', u.login, u.role, wanted
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN o;
END
$fn$;

-- A check or breach dated while the order is in effect (RULES.md; Scheduler.admitEvent).
CREATE FUNCTION qorgau.admit_event(o qorgau.orders, at float8, what text, r jsonb) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF o.served IS NULL THEN
        RAISE EXCEPTION 'qorgau: order % has not been served: record its service first', o.number USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.instant(at, what, r);
    IF at < o.served THEN
        RAISE EXCEPTION 'qorgau: the % is before the order was served', what USING ERRCODE = 'check_violation';
    END IF;
    IF at > o.ends THEN
        RAISE EXCEPTION 'qorgau: the % is after the order ended', what USING ERRCODE = 'check_violation';
    END IF;
END
$fn$;

-- Recomputes an order's expires and ends (done by the orders trigger on every write of the row).
CREATE FUNCTION qorgau.refresh_order(order_id bigint) RETURNS void
LANGUAGE sql
SET search_path = qorgau, pg_temp
AS $fn$ UPDATE qorgau.orders AS o SET served = o.served WHERE o.id = refresh_order.order_id $fn$;

------------------------------------------------------------------------------------------------
-- Append-only by construction: these triggers hold for the owner too
------------------------------------------------------------------------------------------------

CREATE FUNCTION qorgau.refuse() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    RAISE EXCEPTION 'qorgau: %', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$fn$;

CREATE TRIGGER history_no_update BEFORE UPDATE ON qorgau.history
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('history is append-only');
CREATE TRIGGER history_no_delete BEFORE DELETE ON qorgau.history
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('history is append-only');
CREATE TRIGGER orders_no_delete BEFORE DELETE ON qorgau.orders
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('orders are never deleted');
CREATE TRIGGER checks_no_delete BEFORE DELETE ON qorgau.checks
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('checks are never deleted');
CREATE TRIGGER checks_no_update BEFORE UPDATE ON qorgau.checks
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('checks are never rewritten');
CREATE TRIGGER breaches_no_delete BEFORE DELETE ON qorgau.breaches
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('breaches are never deleted');
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON qorgau.corrections
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('corrections are never deleted');
CREATE TRIGGER users_no_delete BEFORE DELETE ON qorgau.users
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('users are disabled, never deleted');
CREATE TRIGGER meta_no_delete BEFORE DELETE ON qorgau.meta
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('the database''s settings are never deleted');
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON qorgau.audit_head
    FOR EACH ROW EXECUTE FUNCTION qorgau.refuse('the audit head is never deleted');

CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON qorgau.history
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('history is append-only');
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON qorgau.audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('the audit head is never deleted');
CREATE TRIGGER orders_no_truncate BEFORE TRUNCATE ON qorgau.orders
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('orders are never deleted');
CREATE TRIGGER checks_no_truncate BEFORE TRUNCATE ON qorgau.checks
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('checks are never deleted');
CREATE TRIGGER breaches_no_truncate BEFORE TRUNCATE ON qorgau.breaches
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('breaches are never deleted');
CREATE TRIGGER corrections_no_truncate BEFORE TRUNCATE ON qorgau.corrections
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('corrections are never deleted');
CREATE TRIGGER users_no_truncate BEFORE TRUNCATE ON qorgau.users
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('users are disabled, never deleted');
CREATE TRIGGER meta_no_truncate BEFORE TRUNCATE ON qorgau.meta
    FOR EACH STATEMENT EXECUTE FUNCTION qorgau.refuse('the database''s settings are never deleted');

-- Orders: the server derives number_key, district_now (on insert), expires and ends; an order's
-- terms and parties are never rewritten; served once; revoked once.
CREATE FUNCTION qorgau.orders_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    tz text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.number_key := qorgau.number_key(NEW.number);
        NEW.district_now := coalesce(NEW.district_now, NEW.district);
    ELSE
        IF (NEW.id, NEW.number, NEW.number_key, NEW.kind, NEW.issued, NEW.term_days, NEW.check_interval_days,
            NEW.district, NEW.officer, NEW.restrictions, NEW.survivor_initials, NEW.respondent_name,
            NEW.respondent_birth_date, NEW.respondent_address, NEW.respondent_phone, NEW.created_at, NEW.created_by)
           IS DISTINCT FROM
           (OLD.id, OLD.number, OLD.number_key, OLD.kind, OLD.issued, OLD.term_days, OLD.check_interval_days,
            OLD.district, OLD.officer, OLD.restrictions, OLD.survivor_initials, OLD.respondent_name,
            OLD.respondent_birth_date, OLD.respondent_address, OLD.respondent_phone, OLD.created_at, OLD.created_by) THEN
            RAISE EXCEPTION 'qorgau: an order''s terms and parties are never rewritten' USING ERRCODE = 'restrict_violation';
        END IF;
        -- The sealed survivor record is sealed again to a new key by a rekey (qorgau.reseal), and never otherwise.
        IF NEW.survivor IS DISTINCT FROM OLD.survivor
           AND (NOT qorgau.rekeying() OR NEW.survivor IS NULL OR length(NEW.survivor) = 0) THEN
            RAISE EXCEPTION 'qorgau: an order''s terms and parties are never rewritten' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.served IS NOT NULL AND NEW.served IS DISTINCT FROM OLD.served THEN
            RAISE EXCEPTION 'qorgau: an order is served once' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.revoked IS NOT NULL
           AND (NEW.revoked IS DISTINCT FROM OLD.revoked OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason) THEN
            RAISE EXCEPTION 'qorgau: an order is revoked once' USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF NEW.served IS NULL THEN
        NEW.expires := NULL;
    ELSE
        tz := qorgau.time_zone();
        IF tz IS NULL THEN
            RAISE EXCEPTION 'qorgau: the database has no time zone (meta timeZone)' USING ERRCODE = 'check_violation';
        END IF;
        NEW.expires := qorgau.expires_at(NEW.served, NEW.term_days, tz);
    END IF;
    NEW.ends := CASE WHEN NEW.expires IS NULL THEN NULL ELSE least(NEW.expires, NEW.revoked) END;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER orders_guard BEFORE INSERT OR UPDATE ON qorgau.orders
    FOR EACH ROW EXECUTE FUNCTION qorgau.orders_guard();

-- Breaches: closed once, and never rewritten otherwise.
CREATE FUNCTION qorgau.breaches_guard() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    IF OLD.closed IS NOT NULL
       OR (NEW.id, NEW.order_id, NEW.occurred, NEW.reported, NEW.reported_by, NEW.description, NEW.check_id,
           NEW.recorded_at, NEW.recorded_by)
          IS DISTINCT FROM
          (OLD.id, OLD.order_id, OLD.occurred, OLD.reported, OLD.reported_by, OLD.description, OLD.check_id,
           OLD.recorded_at, OLD.recorded_by) THEN
        RAISE EXCEPTION 'qorgau: a breach is closed once and never rewritten' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER breaches_guard BEFORE UPDATE ON qorgau.breaches
    FOR EACH ROW EXECUTE FUNCTION qorgau.breaches_guard();

-- Users: disabled, never re-enabled, renamed or given another role or district.
CREATE FUNCTION qorgau.users_guard() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    IF (NEW.login, NEW.role, NEW.district, NEW.created_at, NEW.created_by)
       IS DISTINCT FROM (OLD.login, OLD.role, OLD.district, OLD.created_at, OLD.created_by)
       OR (OLD.disabled AND NOT NEW.disabled) THEN
        RAISE EXCEPTION 'qorgau: a user is only ever disabled' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER users_guard BEFORE UPDATE ON qorgau.users
    FOR EACH ROW EXECUTE FUNCTION qorgau.users_guard();

-- Settings: only the key record and the public key change, together, in a rekey (qorgau.set_vault, which first
-- marks its transaction); the zone and the rules stay.
CREATE FUNCTION qorgau.meta_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF NEW.key IS DISTINCT FROM OLD.key
       OR (NEW.value IS DISTINCT FROM OLD.value AND NOT CASE OLD.key
               WHEN 'rekeyTransaction' THEN NEW.value = pg_current_xact_id()::text
               WHEN 'vault' THEN qorgau.rekeying()
               WHEN 'publicKey' THEN qorgau.rekeying()
               ELSE false END) THEN
        RAISE EXCEPTION 'qorgau: only the vault record of the settings is ever replaced, by a rekey' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER meta_guard BEFORE UPDATE ON qorgau.meta
    FOR EACH ROW EXECUTE FUNCTION qorgau.meta_guard();

-- Corrections: never rewritten, but for a sealed value sealed again to a new key by a rekey (qorgau.reseal).
CREATE FUNCTION qorgau.corrections_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF (NEW.id, NEW.order_id, NEW.field, NEW.value, NEW.reason, NEW.at, NEW.account)
          IS DISTINCT FROM (OLD.id, OLD.order_id, OLD.field, OLD.value, OLD.reason, OLD.at, OLD.account)
       OR OLD.sealed IS NULL OR NEW.sealed IS NULL OR length(NEW.sealed) = 0
       OR NOT qorgau.rekeying() THEN
        RAISE EXCEPTION 'qorgau: corrections are never rewritten' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER corrections_guard BEFORE UPDATE ON qorgau.corrections
    FOR EACH ROW EXECUTE FUNCTION qorgau.corrections_guard();

-- At the commit of a rekey: every sealed survivor value was rewritten in its transaction (sealed again to the new
-- key), or the whole transaction, key record included, is refused. A rekey that left a value under the old key
-- would leave it to the old passphrase, and out of the new one's reach.
CREATE FUNCTION qorgau.rekey_complete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF NEW.value = pg_current_xact_id()::text
       AND (EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.xmin <> pg_current_xact_id()::xid)
            OR EXISTS (SELECT 1 FROM qorgau.corrections AS c WHERE c.sealed IS NOT NULL AND c.xmin <> pg_current_xact_id()::xid)) THEN
        RAISE EXCEPTION 'qorgau: a rekey seals every survivor value again in its own transaction: nothing was changed'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$fn$;
CREATE CONSTRAINT TRIGGER meta_rekey_complete AFTER INSERT OR UPDATE ON qorgau.meta
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.key = 'rekeyTransaction') EXECUTE FUNCTION qorgau.rekey_complete();

-- The audit head only moves forward.
CREATE FUNCTION qorgau.audit_head_guard() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    IF NEW.id <= OLD.id THEN
        RAISE EXCEPTION 'qorgau: the audit head only moves forward' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE TRIGGER audit_head_guard BEFORE UPDATE ON qorgau.audit_head
    FOR EACH ROW EXECUTE FUNCTION qorgau.audit_head_guard();

-- A district correction moves the order (district_now, used for row security).
CREATE FUNCTION qorgau.corrections_apply() RETURNS trigger
LANGUAGE plpgsql
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    IF NEW.field = 'district' THEN
        UPDATE qorgau.orders AS o SET district_now = NEW.value WHERE o.id = NEW.order_id;
    END IF;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER corrections_apply AFTER INSERT ON qorgau.corrections
    FOR EACH ROW EXECUTE FUNCTION qorgau.corrections_apply();

------------------------------------------------------------------------------------------------
-- Row security: what a person sees is their district's (supervisors and people without a district
-- see all). ENABLE only, not FORCE: the owner's own functions see every row.
------------------------------------------------------------------------------------------------

ALTER TABLE qorgau.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.breaches ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.corrections ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.meta ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE qorgau.audit_head ENABLE ROW LEVEL SECURITY;

CREATE POLICY orders_read ON qorgau.orders FOR SELECT
    USING ((SELECT qorgau.my_district()) IS NULL OR district_now = (SELECT qorgau.my_district()));
CREATE POLICY checks_read ON qorgau.checks FOR SELECT
    USING ((SELECT qorgau.my_district()) IS NULL
           OR EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.id = checks.order_id));
CREATE POLICY breaches_read ON qorgau.breaches FOR SELECT
    USING ((SELECT qorgau.my_district()) IS NULL
           OR EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.id = breaches.order_id));
CREATE POLICY corrections_read ON qorgau.corrections FOR SELECT
    USING ((SELECT qorgau.my_district()) IS NULL
           OR EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.id = corrections.order_id));
-- The wrapped private key is for those who may open survivor data.
CREATE POLICY meta_read ON qorgau.meta FOR SELECT
    USING (key <> 'vault' OR (SELECT u.role FROM qorgau.me() AS u) IN ('staff', 'supervisor'));
-- The group roles are cluster-wide: the people, the trail and its head are read only by an enabled
-- supervisor of THIS database (me() refuses anyone else, a disabled supervisor's open session too).
CREATE POLICY users_read ON qorgau.users FOR SELECT
    USING ((SELECT u.role FROM qorgau.me() AS u) = 'supervisor');
CREATE POLICY history_read ON qorgau.history FOR SELECT
    USING ((SELECT u.role FROM qorgau.me() AS u) = 'supervisor');
CREATE POLICY audit_head_read ON qorgau.audit_head FOR SELECT
    USING ((SELECT u.role FROM qorgau.me() AS u) = 'supervisor');

------------------------------------------------------------------------------------------------
-- The writes. Each: who (me, role, district), validation, write, audit entry, one transaction.
------------------------------------------------------------------------------------------------

CREATE FUNCTION qorgau.add_order(number text, kind text, issued float8, served float8, term_days int,
                                 check_interval_days int, district text, officer text, restrictions text,
                                 survivor bytea, survivor_initials text, respondent_name text,
                                 respondent_birth_date text, respondent_address text, respondent_phone text,
                                 revoked float8, revocation_reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'liaison', 'supervisor'], 'add orders');
    r jsonb := qorgau.rules();
    k jsonb;
    v_number text;
    v_district text;
    v_birth text;
    v_reason text;
    existing text;
    new_id bigint;
    name_max int;
    text_max int;
BEGIN
    PERFORM qorgau.serialise();
    name_max := qorgau.rule_int(r, '{limits,nameMaxLength}');
    text_max := qorgau.rule_int(r, '{limits,textMaxLength}');
    v_number := qorgau.clean(add_order.number, 'order number', qorgau.rule_int(r, '{limits,numberMaxLength}'), true);
    SELECT x INTO k FROM jsonb_array_elements(r -> 'kinds') AS x WHERE x ->> 'id' = add_order.kind;
    IF k IS NULL THEN
        RAISE EXCEPTION 'qorgau: unknown kind of order: %', coalesce(add_order.kind, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF add_order.term_days IS NULL OR add_order.term_days NOT BETWEEN qorgau.rule_int(k, '{termDays,min}') AND qorgau.rule_int(k, '{termDays,max}') THEN
        RAISE EXCEPTION 'qorgau: a % lasts % to % days, not %', add_order.kind, k #>> '{termDays,min}', k #>> '{termDays,max}',
            coalesce(add_order.term_days::text, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF add_order.check_interval_days IS NULL OR add_order.check_interval_days
       NOT BETWEEN qorgau.rule_int(k, '{checkIntervalDays,min}') AND qorgau.rule_int(k, '{checkIntervalDays,max}') THEN
        RAISE EXCEPTION 'qorgau: a % is checked every % to % days, not every %', add_order.kind,
            k #>> '{checkIntervalDays,min}', k #>> '{checkIntervalDays,max}', coalesce(add_order.check_interval_days::text, 'NULL')
            USING ERRCODE = 'check_violation';
    END IF;
    v_district := qorgau.clean(add_order.district, 'district', name_max, false);
    IF u.role <> 'supervisor' AND u.district <> '' AND v_district <> u.district THEN
        RAISE EXCEPTION 'qorgau: % (%) may not add orders in another district than %', u.login, u.role, u.district
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF add_order.survivor IS NULL OR length(add_order.survivor) = 0 THEN
        RAISE EXCEPTION 'qorgau: the sealed survivor record is missing' USING ERRCODE = 'check_violation';
    END IF;
    v_birth := nullif(qorgau.clean(add_order.respondent_birth_date, 'respondent''s birth date', 10, false), '');
    IF v_birth IS NOT NULL AND v_birth !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN
        RAISE EXCEPTION 'qorgau: not a date: the respondent''s birth date must be YYYY-MM-DD' USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.instant(add_order.issued, 'issue time', r);
    IF add_order.served IS NOT NULL THEN
        PERFORM qorgau.instant(add_order.served, 'service time', r);
        IF add_order.served < add_order.issued THEN
            RAISE EXCEPTION 'qorgau: the service time is before the issue time' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF add_order.revoked IS NOT NULL THEN
        PERFORM qorgau.instant(add_order.revoked, 'revocation time', r);
        IF add_order.revoked < add_order.issued THEN
            RAISE EXCEPTION 'qorgau: the revocation time is before the order was issued' USING ERRCODE = 'check_violation';
        END IF;
        IF add_order.served IS NOT NULL AND add_order.revoked < add_order.served THEN
            RAISE EXCEPTION 'qorgau: the revocation time is before the order was served' USING ERRCODE = 'check_violation';
        END IF;
        v_reason := qorgau.clean(add_order.revocation_reason, 'revocation reason', text_max, true);
    ELSIF nullif(btrim(coalesce(add_order.revocation_reason, ''), qorgau.blank_chars()), '') IS NOT NULL THEN
        RAISE EXCEPTION 'qorgau: a revocation reason without a revocation time' USING ERRCODE = 'check_violation';
    END IF;
    SELECT o.number INTO existing FROM qorgau.orders AS o WHERE o.number_key = qorgau.number_key(v_number);
    IF FOUND THEN
        RAISE EXCEPTION 'qorgau: an order numbered % already exists', existing USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO qorgau.orders AS o (number, number_key, kind, issued, served, term_days, check_interval_days, district,
                                    officer, restrictions, survivor, survivor_initials, respondent_name,
                                    respondent_birth_date, respondent_address, respondent_phone, revoked,
                                    revocation_reason, district_now, created_at, created_by)
    VALUES (v_number, qorgau.number_key(v_number), add_order.kind, add_order.issued, add_order.served, add_order.term_days,
            add_order.check_interval_days, v_district,
            qorgau.clean(add_order.officer, 'officer', name_max, false),
            qorgau.clean(add_order.restrictions, 'restrictions', text_max, false),
            add_order.survivor,
            qorgau.clean(add_order.survivor_initials, 'survivor''s initials', name_max, false),
            qorgau.clean(add_order.respondent_name, 'respondent''s name', name_max, true),
            v_birth,
            qorgau.clean(add_order.respondent_address, 'respondent''s address', text_max, false),
            qorgau.clean(add_order.respondent_phone, 'respondent''s phone', name_max, false),
            add_order.revoked, v_reason, v_district, qorgau.now_s(), session_user)
    RETURNING o.id INTO new_id;
    PERFORM qorgau.audit('order.add', 'order', new_id, jsonb_build_object('number', v_number, 'kind', add_order.kind));
    RETURN new_id;
END
$fn$;

CREATE FUNCTION qorgau.serve_order(order_id bigint, at float8) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['liaison', 'supervisor'], 'record a service');
    r jsonb := qorgau.rules();
    o qorgau.orders;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(serve_order.order_id, u, 'record a service of');
    IF o.served IS NOT NULL THEN
        RAISE EXCEPTION 'qorgau: order % is already served', o.number USING ERRCODE = 'check_violation';
    END IF;
    IF o.revoked IS NOT NULL THEN
        RAISE EXCEPTION 'qorgau: order % is revoked', o.number USING ERRCODE = 'check_violation';
    END IF;
    IF serve_order.at IS NOT NULL AND serve_order.at < o.issued THEN
        RAISE EXCEPTION 'qorgau: the service time is before the issue time' USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.instant(serve_order.at, 'service time', r);
    UPDATE qorgau.orders AS x SET served = serve_order.at WHERE x.id = o.id;
    PERFORM qorgau.audit('order.serve', 'order', o.id, jsonb_build_object('number', o.number));
END
$fn$;

-- A revocation dated before checks or breaches already recorded is accepted (RULES.md "Facts entered late").
CREATE FUNCTION qorgau.revoke_order(order_id bigint, at float8, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'revoke orders');
    r jsonb := qorgau.rules();
    o qorgau.orders;
    v_reason text;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(revoke_order.order_id, u, 'revoke');
    IF o.revoked IS NOT NULL THEN
        RAISE EXCEPTION 'qorgau: order % is already revoked', o.number USING ERRCODE = 'check_violation';
    END IF;
    IF revoke_order.at IS NOT NULL AND revoke_order.at < o.issued THEN
        RAISE EXCEPTION 'qorgau: the revocation time is before the order was issued' USING ERRCODE = 'check_violation';
    END IF;
    IF revoke_order.at IS NOT NULL AND o.served IS NOT NULL AND revoke_order.at < o.served THEN
        RAISE EXCEPTION 'qorgau: the revocation time is before the order was served' USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.instant(revoke_order.at, 'revocation time', r);
    v_reason := qorgau.clean(revoke_order.reason, 'revocation reason', qorgau.rule_int(r, '{limits,textMaxLength}'), true);
    UPDATE qorgau.orders AS x SET revoked = revoke_order.at, revocation_reason = v_reason WHERE x.id = o.id;
    PERFORM qorgau.audit('order.revoke', 'order', o.id, jsonb_build_object('number', o.number));
END
$fn$;

CREATE FUNCTION qorgau.add_check(order_id bigint, at float8, officer text, method text, outcome text, note text,
                                 breach_description text) RETURNS TABLE (check_id bigint, breach_id bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['liaison', 'supervisor'], 'record checks');
    r jsonb := qorgau.rules();
    o qorgau.orders;
    v_officer text;
    v_note text;
    v_description text;
    new_check bigint;
    new_breach bigint;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(add_check.order_id, u, 'record checks of');
    IF add_check.method IS NULL OR add_check.method NOT IN ('visit', 'phone', 'summons') THEN
        RAISE EXCEPTION 'qorgau: unknown check method: %', coalesce(add_check.method, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF add_check.outcome IS NULL OR add_check.outcome NOT IN ('compliant', 'breach', 'not-located') THEN
        RAISE EXCEPTION 'qorgau: unknown check outcome: %', coalesce(add_check.outcome, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    v_officer := qorgau.clean(add_check.officer, 'officer', qorgau.rule_int(r, '{limits,nameMaxLength}'), true);
    v_note := qorgau.clean(add_check.note, 'note', qorgau.rule_int(r, '{limits,textMaxLength}'), false);
    IF add_check.outcome = 'breach' THEN
        v_description := qorgau.clean(add_check.breach_description, 'description', qorgau.rule_int(r, '{limits,textMaxLength}'), true);
    END IF;
    PERFORM qorgau.admit_event(o, add_check.at, 'check time', r);
    INSERT INTO qorgau.checks AS c (order_id, at, officer, method, outcome, counted, note, recorded_at, recorded_by)
    VALUES (o.id, add_check.at, v_officer, add_check.method, add_check.outcome, add_check.outcome <> 'not-located', v_note,
            qorgau.now_s(), session_user)
    RETURNING c.id INTO new_check;
    PERFORM qorgau.audit('check.add', 'check', new_check, jsonb_build_object('number', o.number, 'outcome', add_check.outcome));
    IF add_check.outcome = 'breach' THEN
        INSERT INTO qorgau.breaches AS b (order_id, occurred, reported, reported_by, description, check_id, recorded_at, recorded_by)
        VALUES (o.id, add_check.at, qorgau.now_s(), v_officer, v_description, new_check, qorgau.now_s(), session_user)
        RETURNING b.id INTO new_breach;
        PERFORM qorgau.audit('breach.add', 'breach', new_breach, jsonb_build_object('number', o.number));
    END IF;
    check_id := new_check;
    breach_id := new_breach;
    RETURN NEXT;
END
$fn$;

CREATE FUNCTION qorgau.add_breach(order_id bigint, occurred float8, reported_by text, description text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'liaison', 'supervisor'], 'record breaches');
    r jsonb := qorgau.rules();
    o qorgau.orders;
    v_description text;
    v_reporter text;
    new_breach bigint;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(add_breach.order_id, u, 'record breaches of');
    v_description := qorgau.clean(add_breach.description, 'description', qorgau.rule_int(r, '{limits,textMaxLength}'), true);
    v_reporter := qorgau.clean(add_breach.reported_by, 'reporter', qorgau.rule_int(r, '{limits,nameMaxLength}'), true);
    PERFORM qorgau.admit_event(o, add_breach.occurred, 'breach time', r);
    INSERT INTO qorgau.breaches AS b (order_id, occurred, reported, reported_by, description, recorded_at, recorded_by)
    VALUES (o.id, add_breach.occurred, qorgau.now_s(), v_reporter, v_description, qorgau.now_s(), session_user)
    RETURNING b.id INTO new_breach;
    PERFORM qorgau.audit('breach.add', 'breach', new_breach, jsonb_build_object('number', o.number));
    RETURN new_breach;
END
$fn$;

CREATE FUNCTION qorgau.close_breach(breach_id bigint, at float8, action text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'close breaches');
    r jsonb := qorgau.rules();
    b qorgau.breaches;
    v_action text;
BEGIN
    PERFORM qorgau.serialise();
    SELECT * INTO b FROM qorgau.breaches AS x WHERE x.id = close_breach.breach_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'qorgau: no breach with ID %', coalesce(close_breach.breach_id::text, 'NULL') USING ERRCODE = 'no_data_found';
    END IF;
    IF b.closed IS NOT NULL THEN
        RAISE EXCEPTION 'qorgau: breach % is already closed', b.id USING ERRCODE = 'check_violation';
    END IF;
    IF close_breach.at IS NOT NULL AND close_breach.at < b.occurred THEN
        RAISE EXCEPTION 'qorgau: the action on breach % is dated before the breach', b.id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.instant(close_breach.at, 'action time', r);
    v_action := qorgau.clean(close_breach.action, 'action', qorgau.rule_int(r, '{limits,textMaxLength}'), true);
    UPDATE qorgau.breaches AS x SET closed = close_breach.at, action = v_action, closed_by = session_user WHERE x.id = b.id;
    PERFORM qorgau.audit('breach.close', 'breach', b.id, '{}'::jsonb);
END
$fn$;

CREATE FUNCTION qorgau.correct_order(order_id bigint, field text, value text, sealed bytea, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'correct an order''s details');
    r jsonb := qorgau.rules();
    o qorgau.orders;
    v_value text;
    v_reason text;
    new_id bigint;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(correct_order.order_id, u, 'correct');
    IF correct_order.field IS NULL OR correct_order.field NOT IN ('district', 'officer', 'restrictions', 'respondent-address',
            'respondent-phone', 'survivor-phone', 'survivor-contact', 'survivor-notes') THEN
        RAISE EXCEPTION 'qorgau: % is not a detail that can be corrected', coalesce(correct_order.field, 'NULL')
            USING ERRCODE = 'check_violation';
    END IF;
    IF correct_order.field LIKE 'survivor-%' THEN
        IF correct_order.sealed IS NULL OR length(correct_order.sealed) = 0 OR correct_order.value IS NOT NULL THEN
            RAISE EXCEPTION 'qorgau: a correction of the % is sealed (sealed, not value)', correct_order.field
                USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        IF correct_order.sealed IS NOT NULL THEN
            RAISE EXCEPTION 'qorgau: a correction of the % is not sealed (value, not sealed)', correct_order.field
                USING ERRCODE = 'check_violation';
        END IF;
        v_value := qorgau.clean(correct_order.value, replace(correct_order.field, '-', ' '),
            CASE WHEN correct_order.field IN ('restrictions', 'respondent-address')
                 THEN qorgau.rule_int(r, '{limits,textMaxLength}') ELSE qorgau.rule_int(r, '{limits,nameMaxLength}') END,
            false);
    END IF;
    v_reason := qorgau.clean(correct_order.reason, 'reason', qorgau.rule_int(r, '{limits,textMaxLength}'), true);
    INSERT INTO qorgau.corrections AS c (order_id, field, value, sealed, reason, at, account)
    VALUES (o.id, correct_order.field, v_value, correct_order.sealed, v_reason, qorgau.now_s(), session_user)
    RETURNING c.id INTO new_id;
    PERFORM qorgau.audit('order.correct', 'order', o.id,
        jsonb_build_object('number', o.number, 'field', correct_order.field, 'correction', new_id::text));
    RETURN new_id;
END
$fn$;

CREATE FUNCTION qorgau.add_user(login text, role text, district text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'manage users');
    r jsonb := qorgau.rules();
    v_login text;
    v_district text;
BEGIN
    PERFORM qorgau.serialise();
    v_login := qorgau.clean(add_user.login, 'login', 64, true);
    v_district := qorgau.clean(add_user.district, 'district', qorgau.rule_int(r, '{limits,nameMaxLength}'), false);
    IF add_user.role IS NULL OR add_user.role NOT IN ('staff', 'liaison', 'supervisor') THEN
        RAISE EXCEPTION 'qorgau: unknown role: %', coalesce(add_user.role, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM qorgau.users AS x WHERE x.login = v_login) THEN
        RAISE EXCEPTION 'qorgau: % is already a user', v_login USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO qorgau.users (login, role, district, disabled, created_at, created_by)
    VALUES (v_login, add_user.role, v_district, false, qorgau.now_s(), session_user);
    PERFORM qorgau.audit('user.add', 'user', NULL, jsonb_build_object('login', v_login, 'role', add_user.role));
END
$fn$;

CREATE FUNCTION qorgau.disable_user(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'manage users');
    target qorgau.users;
BEGIN
    PERFORM qorgau.serialise();
    SELECT * INTO target FROM qorgau.users AS x WHERE x.login = disable_user.login FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'qorgau: no user %', coalesce(disable_user.login, 'NULL') USING ERRCODE = 'no_data_found';
    END IF;
    IF target.role = 'supervisor' AND NOT target.disabled
       AND (SELECT count(*) FROM qorgau.users AS x WHERE x.role = 'supervisor' AND NOT x.disabled) <= 1 THEN
        -- Its own code (class QG: Qorgau's), so that the program names it as it does for a file.
        RAISE EXCEPTION 'qorgau: that is the last supervisor: add another supervisor first' USING ERRCODE = 'QG001';
    END IF;
    UPDATE qorgau.users AS x SET disabled = true WHERE x.login = target.login;
    PERFORM qorgau.audit('user.disable', 'user', NULL, jsonb_build_object('login', target.login));
END
$fn$;

-- Called by the client in its own transaction after the server refused something, so that the
-- refusal is on the record although the refused transaction rolled back. Open to any account in a
-- Qorgau group, enabled or not (a disabled person's attempts are recorded too).
CREATE FUNCTION qorgau.record_refusal(wanted text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    v_wanted text := qorgau.clean(record_refusal.wanted, 'refused action', 200, true);
BEGIN
    PERFORM qorgau.serialise();
    -- Someone who is no person of this database is recorded too, but in words of the server's, never theirs.
    IF NOT EXISTS (SELECT 1 FROM qorgau.users AS x WHERE x.login = session_user::text) THEN
        PERFORM qorgau.audit('refused', 'access', NULL, jsonb_build_object('reason', 'not a user'));
        RETURN;
    END IF;
    PERFORM qorgau.audit('refused', 'permission', NULL, jsonb_build_object('wanted', v_wanted));
END
$fn$;

CREATE FUNCTION qorgau.record_view(order_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'supervisor'], 'see the survivor''s contact details');
    o qorgau.orders;
BEGIN
    PERFORM qorgau.serialise();
    o := qorgau.order_for(record_view.order_id, u, 'see the survivor of');
    PERFORM qorgau.audit('survivor.view', 'order', o.id, jsonb_build_object('number', o.number));
END
$fn$;

-- An export or a backup; with result 'failed', one that was not made whole.
CREATE FUNCTION qorgau.record_event(action text, result text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'export');
BEGIN
    IF record_event.action IS NULL OR record_event.action NOT IN ('export', 'backup') THEN
        RAISE EXCEPTION 'qorgau: % is not an event to record', coalesce(record_event.action, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF record_event.result IS NOT NULL AND record_event.result <> 'failed' THEN
        RAISE EXCEPTION 'qorgau: % is not a result to record', record_event.result USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.serialise();
    PERFORM qorgau.audit(record_event.action, 'database', NULL,
        CASE WHEN record_event.result IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('result', record_event.result) END);
END
$fn$;

-- A search of survivors' names ('search': how many orders matched), or every name opened at once for a screen's
-- search as one types ('names': how many): audited like opening one survivor's details, and never with the query,
-- which is survivor data itself (the client searches in memory what it opened: the server never sees the query).
CREATE FUNCTION qorgau.record_search(what text, n bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'supervisor'], 'see the survivor''s contact details');
BEGIN
    IF record_search.what IS NULL OR record_search.what NOT IN ('search', 'names') THEN
        RAISE EXCEPTION 'qorgau: % is not a search to record', coalesce(record_search.what, 'NULL') USING ERRCODE = 'check_violation';
    END IF;
    IF record_search.n IS NULL OR record_search.n < 0 THEN
        RAISE EXCEPTION 'qorgau: a search finds a number of orders, not %', coalesce(record_search.n::text, 'NULL')
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM qorgau.serialise();
    IF record_search.what = 'search' THEN
        PERFORM qorgau.audit('survivor.search', 'database', NULL, jsonb_build_object('matched', record_search.n::text));
    ELSE
        PERFORM qorgau.audit('survivor.names', 'database', NULL, jsonb_build_object('opened', record_search.n::text));
    END IF;
END
$fn$;

-- The id of the last audit entry: a screen polls this (or LISTENs on 'qorgau') to know a write happened.
CREATE FUNCTION qorgau.change_mark() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
BEGIN
    PERFORM qorgau.me();
    RETURN coalesce((SELECT h.id FROM qorgau.audit_head AS h WHERE h.one), 0);
END
$fn$;

-- The public key new survivor data is sealed to, read after taking the writers' lock (held to the end of the
-- caller's transaction): no rekey can come between this read and the write that seals to it.
CREATE FUNCTION qorgau.sealing_key() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'liaison', 'supervisor'], 'add orders');
BEGIN
    PERFORM qorgau.serialise();
    RETURN (SELECT m.value FROM qorgau.meta AS m WHERE m.key = 'publicKey');
END
$fn$;

-- A rekey: a new key pair (the record's public key must be new), wrapped under the new passphrase, replaces the
-- key record and the public key, with the audit entry. It marks this transaction as a rekey's: then, and only in
-- it, qorgau.reseal replaces every sealed survivor value with the client's sealing to the new key (the server
-- never holds a key), in batches; at the commit, qorgau.rekey_complete refuses the whole transaction unless
-- every sealed value was rewritten in it. Call it first, in the client's own transaction.
CREATE FUNCTION qorgau.set_vault(record text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'change the passphrase');
    r jsonb;
    v_public text;
    n_orders bigint;
    n_corrections bigint;
BEGIN
    PERFORM qorgau.serialise();
    BEGIN
        r := set_vault.record::jsonb;
        IF jsonb_typeof(r) IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'not an object';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'qorgau: the key record is not a JSON object' USING ERRCODE = 'check_violation';
    END;
    v_public := r ->> 'publicKey';
    IF v_public IS NULL OR v_public !~ '^[A-Za-z0-9+/]{43}=$' OR coalesce(r ->> 'wrappedPrivateKey', '') = '' THEN
        RAISE EXCEPTION 'qorgau: the key record has no public key or no wrapped private key' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM qorgau.meta AS m WHERE m.key = 'vault') THEN
        RAISE EXCEPTION 'qorgau: the database has no key record to replace' USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (SELECT 1 FROM qorgau.meta AS m WHERE m.key = 'publicKey' AND m.value = v_public) THEN
        RAISE EXCEPTION 'qorgau: a rekey makes a new key pair: this is the key the records are sealed to already'
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO qorgau.meta AS m (key, value) VALUES ('rekeyTransaction', pg_current_xact_id()::text)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
    UPDATE qorgau.meta AS m SET value = set_vault.record WHERE m.key = 'vault';
    UPDATE qorgau.meta AS m SET value = v_public WHERE m.key = 'publicKey';
    IF NOT FOUND THEN
        INSERT INTO qorgau.meta (key, value) VALUES ('publicKey', v_public);
    END IF;
    SELECT count(*) INTO n_orders FROM qorgau.orders;
    SELECT count(*) INTO n_corrections FROM qorgau.corrections AS c WHERE c.sealed IS NOT NULL;
    PERFORM qorgau.audit('rekey', 'database', NULL,
        jsonb_build_object('orders', n_orders::text, 'corrections', n_corrections::text));
END
$fn$;

-- Within a rekey's transaction only (see qorgau.set_vault): sealed survivor values replaced by the same values
-- sealed to the new key, by order ID and by correction ID; each ID must name a row with a sealed value.
CREATE FUNCTION qorgau.reseal(order_ids bigint[], survivors bytea[], correction_ids bigint[], sealed bytea[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'change the passphrase');
    n bigint;
BEGIN
    IF NOT qorgau.rekeying() THEN
        RAISE EXCEPTION 'qorgau: survivor data is sealed again only in the transaction of a rekey (qorgau.set_vault first)'
            USING ERRCODE = 'check_violation';
    END IF;
    IF coalesce(cardinality(reseal.order_ids), 0) <> coalesce(cardinality(reseal.survivors), 0)
       OR coalesce(cardinality(reseal.correction_ids), 0) <> coalesce(cardinality(reseal.sealed), 0) THEN
        RAISE EXCEPTION 'qorgau: as many sealed values as IDs, please' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(reseal.survivors) AS x WHERE x IS NULL OR length(x) = 0)
       OR EXISTS (SELECT 1 FROM unnest(reseal.sealed) AS x WHERE x IS NULL OR length(x) = 0) THEN
        RAISE EXCEPTION 'qorgau: the sealed survivor record is missing' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE qorgau.orders AS o SET survivor = v.s
    FROM unnest(reseal.order_ids, reseal.survivors) AS v(id, s) WHERE o.id = v.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> coalesce(cardinality(reseal.order_ids), 0) THEN
        RAISE EXCEPTION 'qorgau: % of % order IDs name an order', n, coalesce(cardinality(reseal.order_ids), 0)
            USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE qorgau.corrections AS c SET sealed = v.s
    FROM unnest(reseal.correction_ids, reseal.sealed) AS v(id, s) WHERE c.id = v.id AND c.sealed IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> coalesce(cardinality(reseal.correction_ids), 0) THEN
        RAISE EXCEPTION 'qorgau: % of % correction IDs name a sealed correction', n, coalesce(cardinality(reseal.correction_ids), 0)
            USING ERRCODE = 'no_data_found';
    END IF;
END
$fn$;

-- A person's login: made when missing and given the group role of their Qorgau role. SECURITY DEFINER,
-- owned by qorgau_admin (NOLOGIN CREATEROLE; ownership moved at the end of the install): any enabled
-- supervisor of this database may call it, and nobody needs CREATEROLE. It grants only a Qorgau group,
-- to a person recorded here with that role, and never to a superuser or a role that may make roles.
CREATE FUNCTION qorgau.grant_login(login text, role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'manage users');
BEGIN
    IF role NOT IN ('staff', 'liaison', 'supervisor') THEN
        RAISE EXCEPTION 'qorgau: unknown role %', role USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM qorgau.users AS x WHERE x.login = grant_login.login AND x.role = grant_login.role
                   AND NOT x.disabled) THEN
        RAISE EXCEPTION 'qorgau: % is not an enabled % here', login, role USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login AND (rolsuper OR rolcreaterole)) THEN
        RAISE EXCEPTION 'qorgau: % is a server administrator, not a Qorgau login', login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', login);
    END IF;
    EXECUTE format('GRANT %I TO %I', 'qorgau_' || role, login);
END
$fn$;

-- A disabled person's login is taken away (the role stays: the records name it).
CREATE FUNCTION qorgau.revoke_login(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['supervisor'], 'manage users');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qorgau.users AS x WHERE x.login = revoke_login.login AND x.disabled) THEN
        RAISE EXCEPTION 'qorgau: % is not a disabled user here', login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login AND NOT (rolsuper OR rolcreaterole)) THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', login);
    END IF;
END
$fn$;

-- @@ v2
------------------------------------------------------------------------------------------------
-- Schema 2: the order list's index (issue 13). Run as qorgau_owner by the install, and by
-- PostgresBackend.upgrade on a database of schema 1 (then the client fills the new columns).
--
-- Per order, the columns the list reads instead of every record: its folded text (every reading of
-- number, respondent, officer and district, one a line: FoldedText.indexText) under a trigram GIN
-- index, and the NameOrder sort keys of respondent, district and officer (bytea: byte order is the
-- alphabet's), each under a btree with the number key in byte order. They are columns of qorgau.orders,
-- so they have exactly the orders' protections: the same row security (a liaison reads her district's
-- only) and a column grant as for her other columns; no role writes them but through qorgau.list_order.
-- The folding is the client's (Swift) code: the server keeps what the client that wrote the order (or a
-- correction of it) sent, in that same transaction, and nowhere else.
--
-- The keyed index of survivors' names (BlindIndex.swift): per order, the keyed tokens of her name,
-- in qorgau.survivor_index, read (row security by district as the orders) only by the roles that may open
-- survivor data, written only through qorgau.index_survivors.
------------------------------------------------------------------------------------------------

-- pg_trgm is a trusted extension (PostgreSQL 13 and later): qorgau_owner, which may CREATE on this database,
-- may make it. In a schema of its own, which nobody is granted: no role calls its functions; the index
-- uses its operator class without any privilege being checked.
CREATE SCHEMA qorgau_trgm;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA qorgau_trgm;

ALTER TABLE qorgau.orders ADD COLUMN list_search text;          -- FoldedText.indexText: set through list_order
ALTER TABLE qorgau.orders ADD COLUMN sort_respondent bytea;     -- NameSortKey bytes: set through list_order
ALTER TABLE qorgau.orders ADD COLUMN sort_district bytea;
ALTER TABLE qorgau.orders ADD COLUMN sort_officer bytea;
ALTER TABLE qorgau.orders ADD COLUMN survivor_indexed boolean NOT NULL DEFAULT false;

CREATE INDEX orders_list_number ON qorgau.orders (number_key COLLATE "C");
CREATE INDEX orders_list_respondent ON qorgau.orders (sort_respondent, number_key COLLATE "C");
CREATE INDEX orders_list_district ON qorgau.orders (sort_district, number_key COLLATE "C");
CREATE INDEX orders_list_officer ON qorgau.orders (sort_officer, number_key COLLATE "C");
CREATE INDEX orders_list_search ON qorgau.orders USING gin (list_search qorgau_trgm.gin_trgm_ops);
CREATE INDEX orders_survivor_unindexed ON qorgau.orders (id) WHERE NOT survivor_indexed;

CREATE TABLE qorgau.survivor_index (
    token bigint NOT NULL,                      -- HMAC-SHA256 of a trigram under the key's index key, cut to 8 bytes
    order_id bigint NOT NULL REFERENCES qorgau.orders (id),
    PRIMARY KEY (token, order_id)
);
CREATE INDEX survivor_index_order ON qorgau.survivor_index (order_id);
ALTER TABLE qorgau.survivor_index ENABLE ROW LEVEL SECURITY;
CREATE POLICY survivor_index_read ON qorgau.survivor_index FOR SELECT
    USING ((SELECT qorgau.my_district()) IS NULL
           OR EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.id = survivor_index.order_id));

-- True when this transaction recorded one of `actions` about the order (its audit entries: 'order.add',
-- 'order.correct'): serving it, revoking it or checking it does not count.
CREATE FUNCTION qorgau.written_here(order_id bigint, actions text[]) RETURNS boolean
LANGUAGE sql
SET search_path = qorgau, pg_temp
AS $fn$
    SELECT EXISTS (SELECT 1 FROM qorgau.history AS h WHERE h.entity = 'order' AND h.entity_id = written_here.order_id
                   AND h.action = ANY (written_here.actions) AND h.xmin = pg_current_xact_id()::xid)
$fn$;

-- The list's columns of an order, as the client folded them, in the transaction that wrote the order or a
-- correction of it (by someone who may act on the order), never otherwise.
CREATE FUNCTION qorgau.list_order(order_id bigint, search text, sort_respondent bytea, sort_district bytea,
                                  sort_officer bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'liaison', 'supervisor'], 'index orders for the list');
    o qorgau.orders;
BEGIN
    o := qorgau.order_for(list_order.order_id, u, 'index');
    IF list_order.search IS NULL OR list_order.sort_respondent IS NULL OR list_order.sort_district IS NULL
       OR list_order.sort_officer IS NULL THEN
        RAISE EXCEPTION 'qorgau: an order''s list columns are all given' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT qorgau.written_here(o.id, ARRAY['order.add', 'order.correct']) THEN
        RAISE EXCEPTION 'qorgau: an order''s list columns are written only with the order or a correction of it'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE qorgau.orders AS x SET list_search = list_order.search, sort_respondent = list_order.sort_respondent,
        sort_district = list_order.sort_district, sort_officer = list_order.sort_officer
    WHERE x.id = o.id;
END
$fn$;

-- The keyed tokens of survivors' names: per order of `order_ids`, its tokens are the `tokens` whose
-- `token_orders` names it (none: a name with nothing to index), replacing what it had; the order counts as
-- indexed afterwards. Only by those who may open survivor data, for orders they may act on, and only for an
-- order not indexed yet, added in this transaction, or in a rekey's transaction: an indexed
-- order's tokens are not rewritten otherwise (such an order of the list is skipped: another session's search
-- indexed it first).
CREATE FUNCTION qorgau.index_survivors(order_ids bigint[], token_orders bigint[], tokens bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    u qorgau.users := qorgau.require_role(ARRAY['staff', 'supervisor'], 'index survivors'' names');
    o qorgau.orders;
    id bigint;
    todo bigint[] := '{}';
BEGIN
    IF coalesce(cardinality(index_survivors.token_orders), 0) <> coalesce(cardinality(index_survivors.tokens), 0) THEN
        RAISE EXCEPTION 'qorgau: as many tokens as order IDs, please' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(index_survivors.token_orders) AS t WHERE t IS NULL OR NOT (t = ANY (index_survivors.order_ids)))
       OR EXISTS (SELECT 1 FROM unnest(index_survivors.tokens) AS t WHERE t IS NULL) THEN
        RAISE EXCEPTION 'qorgau: every token belongs to one of the orders given' USING ERRCODE = 'check_violation';
    END IF;
    FOREACH id IN ARRAY coalesce(index_survivors.order_ids, '{}') LOOP
        o := qorgau.order_for(id, u, 'index');
        IF NOT o.survivor_indexed OR qorgau.rekeying() OR qorgau.written_here(o.id, ARRAY['order.add']) THEN
            todo := todo || o.id;
        END IF;
    END LOOP;
    DELETE FROM qorgau.survivor_index AS s WHERE s.order_id = ANY (todo);
    INSERT INTO qorgau.survivor_index (token, order_id)
    SELECT DISTINCT v.t, v.o FROM unnest(index_survivors.tokens, index_survivors.token_orders) AS v(t, o) WHERE v.o = ANY (todo);
    UPDATE qorgau.orders AS x SET survivor_indexed = true WHERE x.id = ANY (todo) AND NOT x.survivor_indexed;
END
$fn$;

-- The orders the caller may read whose list text holds, for every word, one of its needles (plain substrings;
-- `word_of` numbers the word of each needle): the list's search through the trigram index. A definer function
-- because under row security the planner may not use an index for LIKE (textlike is not leakproof), so it reads
-- as the owner and applies the orders' read policy itself (the caller's district, unless they see all): it
-- returns nothing that the caller could not read.
CREATE FUNCTION qorgau.list_matches(word_of int[], needles text[]) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    d text := qorgau.my_district();
    cond text := '';
    w int;
BEGIN
    IF coalesce(cardinality(list_matches.word_of), 0) <> coalesce(cardinality(list_matches.needles), 0)
       OR EXISTS (SELECT 1 FROM unnest(list_matches.needles) AS x WHERE x IS NULL OR x = '')
       OR EXISTS (SELECT 1 FROM unnest(list_matches.word_of) AS x WHERE x IS NULL) THEN
        RAISE EXCEPTION 'qorgau: one word number a needle, and no needle empty' USING ERRCODE = 'check_violation';
    END IF;
    IF coalesce(cardinality(list_matches.needles), 0) = 0 OR cardinality(list_matches.needles) > 1000 THEN
        RAISE EXCEPTION 'qorgau: from 1 to 1000 needles' USING ERRCODE = 'check_violation';
    END IF;
    FOR w IN SELECT DISTINCT x FROM unnest(list_matches.word_of) AS x ORDER BY 1 LOOP
        cond := cond || ' AND (' || (
            SELECT string_agg(format('o.list_search LIKE %L', '%' || replace(replace(replace(list_matches.needles[i], '\', '\\'),
                                                                                      '%', '\%'), '_', '\_') || '%'), ' OR ')
            FROM generate_subscripts(list_matches.needles, 1) AS i WHERE list_matches.word_of[i] = w) || ')';
    END LOOP;
    RETURN QUERY EXECUTE 'SELECT o.id FROM qorgau.orders AS o WHERE ($1::text IS NULL OR o.district_now = $1)' || cond USING d;
END
$fn$;

REVOKE ALL ON qorgau.survivor_index FROM PUBLIC;
REVOKE ALL ON SCHEMA qorgau_trgm FROM PUBLIC;
GRANT SELECT (list_search, sort_respondent, sort_district, sort_officer) ON qorgau.orders TO qorgau_liaison;
GRANT SELECT ON qorgau.survivor_index TO qorgau_staff, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION qorgau.list_order(bigint, text, bytea, bytea, bytea) TO qorgau_staff, qorgau_liaison, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION qorgau.index_survivors(bigint[], bigint[], bigint[]) TO qorgau_staff, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION qorgau.list_matches(int[], text[]) TO qorgau_staff, qorgau_liaison, qorgau_supervisor;

-- @@ v3
-- What was written after `since` (an audit entry's id), for an open screen to read again only the orders that changed
-- (OrderChanges in Swift): the trail's head first (action 'head'), then at most `cap` entries, each with what it means
-- for the screens ('none', 'figures', 'moved', 'everything') and the order it touched. The trail is the supervisors' to
-- read: nobody else learns an entry's action, account or detail, and an order the caller may not see (row security of
-- qorgau.orders, by district) is named to nobody: its entries say 'none', but for a correction that moved it out of the
-- caller's district, which says 'everything' (her screen still shows it: it reads everything again).
CREATE FUNCTION qorgau.changed_orders(since bigint, cap int)
    RETURNS TABLE (id bigint, action text, order_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = qorgau, pg_temp
AS $fn$
DECLARE
    mine text := qorgau.my_district();
BEGIN
    PERFORM qorgau.me();
    RETURN QUERY SELECT coalesce((SELECT h.id FROM qorgau.audit_head AS h WHERE h.one), 0), 'head'::text, NULL::bigint;
    RETURN QUERY
    WITH entries AS (
        SELECT h.id, h.action, h.detail,
               CASE h.entity WHEN 'order' THEN h.entity_id
                    WHEN 'check' THEN (SELECT c.order_id FROM qorgau.checks AS c WHERE c.id = h.entity_id)
                    WHEN 'breach' THEN (SELECT b.order_id FROM qorgau.breaches AS b WHERE b.id = h.entity_id) END AS order_id
        FROM qorgau.history AS h WHERE h.id > changed_orders.since ORDER BY h.id LIMIT changed_orders.cap
    ), seen AS (
        SELECT e.*, (e.order_id IS NULL OR mine IS NULL
                     OR EXISTS (SELECT 1 FROM qorgau.orders AS o WHERE o.id = e.order_id AND o.district_now = mine)) AS visible
        FROM entries AS e
    )
    SELECT s.id,
           CASE WHEN s.action IN ('refused', 'survivor.view', 'survivor.search', 'survivor.names', 'export', 'backup') THEN 'none'
                WHEN NOT s.visible THEN
                    CASE WHEN s.action = 'order.correct' AND s.detail::jsonb ->> 'field' = 'district'
                              AND coalesce((SELECT c.value FROM qorgau.corrections AS c
                                            WHERE c.order_id = s.order_id AND c.field = 'district'
                                              AND c.id < (s.detail::jsonb ->> 'correction')::bigint
                                            ORDER BY c.id DESC LIMIT 1),
                                           (SELECT o.district FROM qorgau.orders AS o WHERE o.id = s.order_id)) = mine
                         THEN 'everything' ELSE 'none' END
                WHEN s.order_id IS NULL THEN 'everything'
                WHEN s.action IN ('check.add', 'breach.add', 'breach.close') THEN 'figures'
                WHEN s.action IN ('order.add', 'order.serve', 'order.revoke', 'order.correct') THEN 'moved'
                ELSE 'everything' END,
           CASE WHEN s.visible THEN s.order_id END
    FROM seen AS s ORDER BY s.id;
END
$fn$;

GRANT EXECUTE ON FUNCTION qorgau.changed_orders(bigint, int) TO qorgau_staff, qorgau_liaison, qorgau_supervisor;

-- @@ grants

-- After an import of verbatim rows, the next ids follow the imported ones.
DO $seq$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'checks', 'breaches', 'corrections'] LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), coalesce((SELECT max(id) FROM qorgau.%I), 1), '
                       || '(SELECT max(id) FROM qorgau.%I) IS NOT NULL)', 'qorgau.' || t, t, t);
    END LOOP;
END
$seq$;

REVOKE ALL ON SCHEMA qorgau FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA qorgau FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA qorgau FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA qorgau FROM PUBLIC;

GRANT USAGE ON SCHEMA qorgau TO qorgau_staff, qorgau_liaison, qorgau_supervisor;

GRANT SELECT ON qorgau.orders, qorgau.checks, qorgau.breaches, qorgau.corrections, qorgau.meta
    TO qorgau_staff, qorgau_supervisor;
GRANT SELECT ON qorgau.users, qorgau.history, qorgau.audit_head TO qorgau_supervisor;
-- Liaison: no sealed survivor data (so `SELECT *` is refused: name the columns).
GRANT SELECT (id, number, number_key, kind, issued, served, term_days, check_interval_days, district, officer,
              restrictions, survivor_initials, respondent_name, respondent_birth_date, respondent_address,
              respondent_phone, revoked, revocation_reason, district_now, expires, ends, created_at, created_by)
    ON qorgau.orders TO qorgau_liaison;
GRANT SELECT (id, order_id, field, value, reason, at, account) ON qorgau.corrections TO qorgau_liaison;
GRANT SELECT ON qorgau.checks, qorgau.breaches, qorgau.meta TO qorgau_liaison;

GRANT EXECUTE ON FUNCTION qorgau.me(), qorgau.my_district(), qorgau.change_mark(), qorgau.record_refusal(text),
    qorgau.sealing_key()
    TO qorgau_staff, qorgau_liaison, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION
    qorgau.add_order(text, text, float8, float8, int, int, text, text, text, bytea, text, text, text, text, text, float8, text),
    qorgau.add_breach(bigint, float8, text, text)
    TO qorgau_staff, qorgau_liaison, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION
    qorgau.serve_order(bigint, float8),
    qorgau.add_check(bigint, float8, text, text, text, text, text)
    TO qorgau_liaison, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION qorgau.record_view(bigint), qorgau.record_search(text, bigint) TO qorgau_staff, qorgau_supervisor;
GRANT EXECUTE ON FUNCTION
    qorgau.revoke_order(bigint, float8, text),
    qorgau.close_breach(bigint, float8, text),
    qorgau.correct_order(bigint, text, text, bytea, text),
    qorgau.add_user(text, text, text),
    qorgau.disable_user(text),
    qorgau.record_event(text, text),
    qorgau.set_vault(text),
    qorgau.reseal(bigint[], bytea[], bigint[], bytea[]),
    qorgau.grant_login(text, text),
    qorgau.revoke_login(text)
    TO qorgau_supervisor;

RESET ROLE;

-- Only the Qorgau groups (and R, the database's owner) connect to this database. JIT off: the row
-- security sub-plans make the planner's estimates large enough to compile every list query (~100 ms
-- each at 100,000 orders) for nothing.
DO $connect$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO qorgau_staff, qorgau_liaison, qorgau_supervisor', current_database());
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$connect$;

-- grant_login and revoke_login run as qorgau_admin, which may make roles, and read the users table.
GRANT USAGE ON SCHEMA qorgau TO qorgau_admin;
GRANT SELECT ON qorgau.users TO qorgau_admin;
GRANT EXECUTE ON FUNCTION qorgau.me(), qorgau.require_role(text[], text) TO qorgau_admin;
SET ROLE qorgau_owner;
GRANT CREATE ON SCHEMA qorgau TO qorgau_admin;
RESET ROLE;
ALTER FUNCTION qorgau.grant_login(text, text) OWNER TO qorgau_admin;
ALTER FUNCTION qorgau.revoke_login(text) OWNER TO qorgau_admin;
SET ROLE qorgau_owner;
REVOKE CREATE ON SCHEMA qorgau FROM qorgau_admin;
RESET ROLE;

-- The installer becomes the first supervisor and keeps nothing more: not the owner's role, not the
-- admin's, and not CREATEROLE (with which, on PostgreSQL 15, a role may grant itself any other role and
-- rewrite the records unseen). Logins are made from now on through qorgau.grant_login.
GRANT qorgau_supervisor TO current_user;
REVOKE qorgau_owner, qorgau_admin FROM current_user;
DO $drop$
BEGIN
    EXECUTE format('ALTER ROLE %I NOCREATEROLE', current_user);
END
$drop$;
