-- Personal API tokens: shown once, stored as a SHA-256 of their 256 random bits, revocable, with an expiry.
create table api_token (
    id           bigserial primary key,
    owner_id     bigint       not null references user_account (id) on delete cascade,
    name         varchar(64)  not null,
    token_hash   char(64)     not null,
    prefix       varchar(16)  not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create unique index api_token_hash_key on api_token (token_hash);
create index api_token_owner_idx on api_token (owner_id);
