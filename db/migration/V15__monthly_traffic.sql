-- Monthly traffic: a plan's allowance per VE and billing period, what counts (both directions or out only), the
-- day periods start, and what happens beyond it (the VE's sending throttled to a rate, or the VE suspended).
alter table plan add column traffic_bytes bigint not null default 0;
alter table plan add column traffic_counts varchar(8) not null default 'both' check (traffic_counts in ('both', 'out'));
alter table plan add column traffic_day integer not null default 1 check (traffic_day between 1 and 28);
alter table plan add column traffic_over varchar(10) not null default 'throttle'
    check (traffic_over in ('throttle', 'suspend'));
alter table plan add column traffic_throttle_bps bigint not null default 1000000;

-- a VE's traffic in one billing period, summed from its counters' growth (a counter that went back, as at a
-- restart, counts from zero); what an admin added; the notices given and what was done beyond the allowance
create table ve_traffic (
    ve_id         bigint  not null references ve (id) on delete cascade,
    period_start  date    not null,
    rx_bytes      bigint  not null default 0,
    tx_bytes      bigint  not null default 0,
    added_bytes   bigint  not null default 0,
    notice        integer not null default 0,
    over_action   varchar(10),
    egress_before bigint,
    primary key (ve_id, period_start)
);

create table ve_traffic_day (
    ve_id    bigint not null references ve (id) on delete cascade,
    day      date   not null,
    rx_bytes bigint not null default 0,
    tx_bytes bigint not null default 0,
    primary key (ve_id, day)
);

-- the counters at the last reading, to sum their growth from, and the run of the VE they belong to
create table ve_counter (
    ve_id   bigint primary key references ve (id) on delete cascade,
    run     bigint not null,
    rx      bigint not null,
    tx      bigint not null,
    read_at timestamptz not null
);
