-- The codec server's tables live in their own schema (quarkus.flyway.schemas=codec, with its own Flyway history),
-- so it can share the platform's database with the control plane without their migrations meeting.

-- A namespace's data keys. The key itself is stored only wrapped (AES-256-GCM) under the master key named by
-- master_key_id, bound to (namespace, key_id). The newest enabled version encrypts; every enabled key decrypts.
create table data_key (
    namespace         varchar(255) not null,
    key_id            varchar(128) not null,
    version           integer      not null check (version > 0),
    wrapped_key       bytea        not null,
    master_key_id     varchar(128) not null,
    state             varchar(16)  not null check (state in ('ENABLED', 'DISABLED')),
    created_at        timestamptz  not null default now(),
    state_changed_at  timestamptz,
    primary key (namespace, key_id),
    unique (namespace, version)
);

-- Browser origins a namespace allows in addition to the configured defaults.
create table namespace_cors (
    namespace          varchar(255) primary key,
    allowed_origins    text         not null,
    allow_credentials  boolean      not null,
    updated_at         timestamptz  not null default now()
);
