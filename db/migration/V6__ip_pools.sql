-- The node's addresses for VEs: ranges an admin defines, each address handed to at most one VE at a time and
-- back in the pool when the VE is destroyed.
create table ip_pool (
    id            bigserial primary key,
    name          varchar(64)  not null,
    family        smallint     not null check (family in (4, 6)),
    first_address inet         not null,
    last_address  inet         not null,
    nameservers   varchar(255) not null default '',
    created_at    timestamptz  not null default now()
);
create unique index ip_pool_name_key on ip_pool (lower(name));

create table ip_address (
    id      bigserial primary key,
    pool_id bigint not null references ip_pool (id) on delete cascade,
    address inet   not null,
    ve_id   bigint references ve (id) on delete set null
);
create unique index ip_address_address_key on ip_address (address);
create index ip_address_free_idx on ip_address (pool_id, id) where ve_id is null;
create index ip_address_ve_idx on ip_address (ve_id);
