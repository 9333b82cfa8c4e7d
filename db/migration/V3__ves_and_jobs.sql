-- A customer's VE as the panel knows it; the engine knows it as engine_name and holds its truth (state, usage).
create table ve (
    id          bigserial primary key,
    owner_id    bigint       not null references user_account (id),
    plan_id     bigint       not null references plan (id),
    engine_name varchar(32)  not null,
    hostname    varchar(253) not null,
    template    varchar(32)  not null,
    status      varchar(16)  not null check (status in ('CREATING', 'READY', 'DESTROYING')),
    created_at  timestamptz  not null default now()
);
create unique index ve_engine_name_key on ve (engine_name);
create index ve_owner_idx on ve (owner_id);
create index ve_plan_idx on ve (plan_id);

-- Long operations (create, stop, restart, destroy): their progress for pages and the API.
create table job (
    id          bigserial primary key,
    owner_id    bigint        not null references user_account (id),
    ve_id       bigint,
    ve_name     varchar(253)  not null,
    kind        varchar(16)   not null,
    state       varchar(16)   not null check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    progress    varchar(255)  not null default '',
    error       varchar(1000),
    created_at  timestamptz   not null default now(),
    finished_at timestamptz
);
create index job_owner_idx on job (owner_id, id desc);
