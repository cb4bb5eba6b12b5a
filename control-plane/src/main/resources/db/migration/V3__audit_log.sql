-- The audit log: one row per mutation call of the Cloud Ops API, accepted or refused. An accepted change writes its
-- row in the transaction that makes the change; a refused one (invalid, denied, stale, missing) writes it alone.
-- Rows are never updated: the state of an accepted change's async operation is read from async_operation.
-- Request bodies are not kept, so no secret (an API key's token) can end up here.
create table audit_log (
    id                  bigint generated always as identity primary key,
    account_id          varchar(64)  not null references account(id),
    emitted_at          timestamptz  not null,
    operation           varchar(80)  not null,   -- the RPC, or the change it made (SetNamespaceAccess of a creator)
    principal_type      varchar(20),             -- user | service-account
    principal_id        varchar(64),
    api_key_id          varchar(64),             -- null for changes the control plane makes itself (bootstrap)
    resource_type       varchar(40),
    resource_id         varchar(200),
    async_operation_id  varchar(200),
    status              varchar(40)  not null,   -- the operation's state when the call ended, or the error code
    error_message       text,
    details             text                     -- proto3 JSON of a google.protobuf.Struct
);
create index audit_log_by_account on audit_log (account_id, id);
create index audit_log_by_time on audit_log (account_id, emitted_at);
