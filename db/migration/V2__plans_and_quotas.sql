-- What the host sells: a plan is a VE's resources. Retired plans take no new VEs but stay for the VEs on them.
create table plan (
    id                bigserial primary key,
    name              varchar(64)   not null,
    memory_bytes      bigint        not null check (memory_bytes >= 0),
    swap_bytes        bigint        not null check (swap_bytes >= 0),
    cpus              numeric(6, 2) not null check (cpus >= 0),
    cpu_limit_percent int           not null check (cpu_limit_percent >= 0),
    cpu_weight        int           not null check (cpu_weight between 1 and 10000),
    pids              bigint        not null check (pids >= 0),
    disk_bytes        bigint        not null check (disk_bytes >= 0),
    inodes            bigint        not null check (inodes >= 0),
    io_read_bps       bigint        not null check (io_read_bps >= 0),
    io_write_bps      bigint        not null check (io_write_bps >= 0),
    ipv4_addresses    int           not null check (ipv4_addresses between 0 and 256),
    ipv6_addresses    int           not null check (ipv6_addresses between 0 and 256),
    backups_kept      int           not null check (backups_kept between 0 and 1000),
    backup_time       time,
    retired           boolean       not null default false,
    created_at        timestamptz   not null default now()
);
create unique index plan_name_key on plan (lower(name));

-- The plans a customer may create VEs on, and how much of the node they may use across all their VEs
-- (0: no limit beyond the plans).
create table customer_plan (
    customer_id bigint not null references user_account (id) on delete cascade,
    plan_id     bigint not null references plan (id),
    primary key (customer_id, plan_id)
);
create index customer_plan_plan_idx on customer_plan (plan_id);

create table customer_quota (
    customer_id  bigint        primary key references user_account (id) on delete cascade,
    max_ves      int           not null check (max_ves >= 0),
    memory_bytes bigint        not null check (memory_bytes >= 0),
    disk_bytes   bigint        not null check (disk_bytes >= 0),
    cpus         numeric(6, 2) not null check (cpus >= 0)
);
