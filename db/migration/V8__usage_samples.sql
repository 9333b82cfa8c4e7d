-- What every running VE used, sampled by the panel: fine samples (resolution 10 s) for a day, 5-minute
-- averages (resolution 300 s) for a month. ve_name is the engine's name of the VE; '' holds the node's totals.
-- Rates (CPU %, bytes per second) are over the time since the previous sample.
create table usage_sample (
    ve_name         varchar(32)  not null,
    resolution      integer      not null,
    at              timestamptz  not null,
    cpu_percent     real         not null,
    memory_bytes    bigint       not null,
    swap_bytes      bigint       not null,
    processes       integer      not null,
    disk_used_bytes bigint       not null,
    rx_bps          double precision not null,
    tx_bps          double precision not null,
    read_bps        double precision not null,
    write_bps       double precision not null,
    primary key (ve_name, resolution, at)
);
create index usage_sample_age_idx on usage_sample (resolution, at);
