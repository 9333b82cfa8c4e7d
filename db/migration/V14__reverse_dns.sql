-- Reverse DNS: the PTR record of each address a customer named, written to PowerDNS; the reverse zones made for
-- each pool (a zone two pools share stays until both are gone); whether a pool checks that names resolve back.
alter table ip_pool add column ptr_check boolean not null default true;

create table dns_zone (
    name    varchar(255) not null,
    pool_id bigint       not null references ip_pool (id) on delete cascade,
    primary key (name, pool_id)
);

-- ve_id becomes null when the VE goes: the sweep then removes the record from PowerDNS and the row
create table ptr_record (
    address    inet         primary key,
    ve_id      bigint       references ve (id) on delete set null,
    name       varchar(253) not null,
    zone       varchar(255) not null,
    updated_at timestamptz  not null default now()
);
create index ptr_record_ve_idx on ptr_record (ve_id);
