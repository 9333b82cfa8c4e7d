-- Moving a VE to another node (issue 16). A VE being moved is MOVING (its owner sees "moving", and nothing else is
-- done to it); the move is a job, and its steps are recorded here so that another panel instance takes it up.
alter table ve drop constraint ve_status_check;
alter table ve add constraint ve_status_check check (status in ('CREATING', 'READY', 'DESTROYING', 'MOVING'));

create table ve_move (
    job_id         bigint      primary key references job (id) on delete cascade,
    ve_id          bigint      not null references ve (id) on delete cascade,
    -- null: the panel's own node
    source_node_id bigint      references fleet_node (id),
    target_node_id bigint      references fleet_node (id),
    was_running    boolean     not null,
    -- COPYING (the VE is the source's), STOPPED (stopped there, its last changes sent), ARRIVED (the target's);
    -- CALLING_OFF (the move failed, waiting for a node to answer to give the VE back to the source), LEFTOVER (given
    -- back; the partial copy on the target is removed when it answers)
    step           varchar(16) not null
                   check (step in ('COPYING', 'STOPPED', 'ARRIVED', 'CALLING_OFF', 'LEFTOVER')),
    downtime_ms    bigint,
    created_at     timestamptz not null default now()
);
create index ve_move_ve_idx on ve_move (ve_id);
