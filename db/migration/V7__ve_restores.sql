-- Restores from a VE's backups: who asked (the customer or the support desk), why, and what came back where.
-- The VE's page shows its owner what the support desk restored.
create table ve_restore (
    id          bigserial primary key,
    ve_id       bigint        not null references ve (id) on delete cascade,
    job_id      bigint        not null references job (id),
    snapshot    varchar(64)   not null,
    path        varchar(4096) not null,
    destination varchar(4096) not null,
    reason      varchar(1000),
    actor_id    bigint        references user_account (id) on delete set null,
    actor_name  varchar(64)   not null,
    by_support  boolean       not null,
    created_at  timestamptz   not null default now()
);
create index ve_restore_ve_idx on ve_restore (ve_id, id desc);
