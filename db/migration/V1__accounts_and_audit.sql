-- Users of the panel: customers, support staff and admins.
create table user_account (
    id                       bigserial primary key,
    username                 varchar(32)  not null,
    email                    varchar(254) not null,
    password_hash            varchar(255) not null,
    role                     varchar(16)  not null check (role in ('CUSTOMER', 'SUPPORT', 'ADMIN')),
    suspended                boolean      not null default false,
    password_change_required boolean      not null default false,
    created_at               timestamptz  not null default now(),
    updated_at               timestamptz  not null default now()
);
create unique index user_account_username_key on user_account (lower(username));
create index user_account_email_idx on user_account (lower(email));

-- Every sign-in, failed sign-in and privileged action: who, what, on what, when, from where, how it ended.
create table audit_entry (
    id             bigserial primary key,
    at             timestamptz  not null default now(),
    actor          varchar(64)  not null,
    action         varchar(64)  not null,
    target         varchar(255),
    source_address varchar(64),
    outcome        varchar(16)  not null check (outcome in ('SUCCESS', 'FAILURE', 'DENIED')),
    detail         varchar(1000)
);
create index audit_entry_at_idx on audit_entry (at desc);
create index audit_entry_actor_idx on audit_entry (actor);
create index audit_entry_action_idx on audit_entry (action);
