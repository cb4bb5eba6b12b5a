-- A tenant. Every other control-plane row belongs to exactly one account.
create table account (
    id          varchar(64) primary key,
    name        varchar(200) not null,
    created_at  timestamptz  not null default now()
);
