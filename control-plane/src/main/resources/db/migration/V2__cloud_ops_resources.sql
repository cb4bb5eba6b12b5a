-- Cloud Ops API resources. Every row belongs to one account; every lookup is scoped by account_id.
-- Specs are stored as the proto3 JSON of Temporal's Cloud API messages (NamespaceSpec, UserSpec, ...): the
-- API defines their shape, and columns exist only for what is queried or constrained.

create table namespace (
    id                  varchar(120) primary key,            -- <name>.<account_id>
    account_id          varchar(64)  not null references account(id),
    name                varchar(39)  not null,
    spec                text         not null,
    tags                text         not null default '{}',
    state               varchar(40)  not null,
    resource_version    bigint       not null,
    async_operation_id  varchar(200),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    constraint namespace_name_unique unique (account_id, name)
);
create index namespace_by_account on namespace (account_id, id);

create table cloud_user (
    id                  varchar(64)  primary key,
    account_id          varchar(64)  not null references account(id),
    email               varchar(320) not null,
    spec                text         not null,
    state               varchar(40)  not null,
    resource_version    bigint       not null,
    async_operation_id  varchar(200),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    constraint cloud_user_email_unique unique (account_id, email)
);
create index cloud_user_by_account on cloud_user (account_id, id);

create table service_account (
    id                  varchar(64)  primary key,
    account_id          varchar(64)  not null references account(id),
    name                varchar(200) not null,
    spec                text         not null,
    state               varchar(40)  not null,
    resource_version    bigint       not null,
    async_operation_id  varchar(200),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null
);
create index service_account_by_account on service_account (account_id, id);

-- The token itself is never stored: only its SHA-256 (hex), compared when a key authenticates.
create table api_key (
    id                  varchar(64)  primary key,
    account_id          varchar(64)  not null references account(id),
    owner_id            varchar(64)  not null,
    owner_type          varchar(20)  not null,
    token_sha256        varchar(64)  not null,
    spec                text         not null,
    state               varchar(40)  not null,
    resource_version    bigint       not null,
    async_operation_id  varchar(200),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null
);
create index api_key_by_account on api_key (account_id, id);
create index api_key_by_owner on api_key (account_id, owner_id);

create table nexus_endpoint (
    id                  varchar(64)  primary key,
    account_id          varchar(64)  not null references account(id),
    name                varchar(200) not null,
    spec                text         not null,
    state               varchar(40)  not null,
    resource_version    bigint       not null,
    async_operation_id  varchar(200),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    constraint nexus_endpoint_name_unique unique (account_id, name)
);
create index nexus_endpoint_by_account on nexus_endpoint (account_id, id);

-- One row per mutation. (account_id, id) is what makes a client-chosen async_operation_id idempotent.
create table async_operation (
    account_id      varchar(64)  not null references account(id),
    id              varchar(200) not null,
    operation_type  varchar(80)  not null,
    resource_kind   varchar(40)  not null,
    resource_id     varchar(200) not null,
    state           varchar(20)  not null,
    failure_reason  text,
    attempts        integer      not null default 0,
    created_at      timestamptz  not null,
    started_at      timestamptz,
    finished_at     timestamptz,
    primary key (account_id, id)
);
create index async_operation_unfinished on async_operation (state) where state in ('PENDING', 'IN_PROGRESS');

-- RSA keys that sign API keys. Exactly one is active (signs new keys); every unretired key is published in the JWKS.
create table signing_key (
    kid          varchar(64)  primary key,
    private_key  text         not null,   -- PKCS#8, base64
    public_key   text         not null,   -- X.509 SubjectPublicKeyInfo, base64
    active       boolean      not null,
    created_at   timestamptz  not null,
    retired_at   timestamptz
);
create unique index signing_key_one_active on signing_key (active) where active;
