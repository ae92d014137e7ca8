-- Workflows, automation rules and workflow runs (SPEC §13, §14, §18). Each
-- record is its `doc`; the other columns are copies the lookups use. Times
-- are nanoseconds since the epoch.

-- Every version of every workflow: a run keeps to the version it started on.
CREATE TABLE workflows (
    tenant UUID NOT NULL,
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT workflows_pkey PRIMARY KEY (tenant, id, version)
);

-- A tenant's rules run in `position` order: the order they were first added.
CREATE TABLE automation_rules (
    tenant UUID NOT NULL,
    id TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT automation_rules_pkey PRIMARY KEY (tenant, id)
);
CREATE INDEX automation_rules_in_order ON automation_rules (tenant, position);

-- `due_at` is when the run may be claimed: its wake-up, or, once claimed,
-- its lease's end; a commit of the run sets it to the wake-up again. NULL
-- when it waits for nothing timed (or is over).
CREATE TABLE workflow_runs (
    id UUID NOT NULL,
    tenant UUID NOT NULL,
    contact UUID NOT NULL,
    workflow TEXT NOT NULL,
    live BOOLEAN NOT NULL,
    due_at BIGINT,
    started_at BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT workflow_runs_pkey PRIMARY KEY (id)
);
CREATE INDEX workflow_runs_due ON workflow_runs (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX workflow_runs_live ON workflow_runs (tenant, contact, started_at) WHERE live;
CREATE INDEX workflow_runs_of_workflow ON workflow_runs (tenant, contact, workflow, started_at);
