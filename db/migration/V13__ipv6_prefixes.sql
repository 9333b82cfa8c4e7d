-- IPv6 prefixes for VEs: a pool may hand out prefixes of one length (a /64 each, say) cut from a larger one,
-- routed to a VE whole. Each prefix is a row, held by at most one VE, as addresses are.
alter table ip_pool add column prefix_length smallint check (prefix_length between 40 and 128);

create table ip_prefix (
    id      bigserial primary key,
    pool_id bigint not null references ip_pool (id) on delete cascade,
    prefix  cidr   not null,
    ve_id   bigint references ve (id) on delete set null
);
create unique index ip_prefix_prefix_key on ip_prefix (prefix);
create index ip_prefix_free_idx on ip_prefix (pool_id, id) where ve_id is null;
create index ip_prefix_ve_idx on ip_prefix (ve_id);

-- how many prefixes each VE of a plan gets, and of which length
alter table plan add column ipv6_prefixes integer not null default 0;
alter table plan add column ipv6_prefix_length integer not null default 64 check (ipv6_prefix_length between 40 and 128);

-- addresses of its prefixes a VE's owner asked to have on the VE's link (the rest of each prefix is the VE's too)
create table ve_prefix_address (
    ve_id   bigint not null references ve (id) on delete cascade,
    address inet   not null
);
create unique index ve_prefix_address_key on ve_prefix_address (address);
create index ve_prefix_address_ve_idx on ve_prefix_address (ve_id);
