-- Nodes of the fleet (issue 19). A node is added by an admin with a one-time join token (kept as a SHA-256 only);
-- `cairn node join` on the node spends the token for a certificate the panel's authority signs, whose SHA-256 the
-- panel pins from then on.
create table fleet_node (
    id bigserial primary key,
    name varchar(63) not null unique,
    address varchar(255) not null,
    state varchar(16) not null check (state in ('waiting', 'active', 'draining', 'maintenance')),
    join_token_hash char(64) unique,
    join_expires_at timestamptz,
    certificate_sha256 char(64),
    certificate_expires_at timestamptz,
    created_at timestamptz not null,
    joined_at timestamptz
);
