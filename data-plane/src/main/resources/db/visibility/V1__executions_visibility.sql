-- Visibility: one row per workflow run, read by Temporal's list, count and scan queries.
-- Text columns are COLLATE "C": Temporal compares keywords byte-wise, and its indexes then serve =, <, > and
-- prefix (STARTS_WITH) alike. Every index leads with namespace_id because every query is scoped to one.
CREATE TABLE executions_visibility (
    namespace_id           text COLLATE "C" NOT NULL,
    run_id                 text COLLATE "C" NOT NULL,
    workflow_id            text COLLATE "C" NOT NULL,
    workflow_type          text COLLATE "C" NOT NULL,
    status                 smallint NOT NULL,
    start_time             timestamptz NOT NULL,
    execution_time         timestamptz NOT NULL,
    close_time             timestamptz,
    execution_duration     bigint,
    history_length         bigint NOT NULL,
    history_size_bytes     bigint NOT NULL,
    state_transition_count bigint NOT NULL,
    task_queue             text COLLATE "C" NOT NULL,
    parent_workflow_id     text COLLATE "C",
    parent_run_id          text COLLATE "C",
    root_workflow_id       text COLLATE "C",
    root_run_id            text COLLATE "C",
    memo                   bytea NOT NULL,
    -- The payloads as the workflow set them, returned as they are; search_attributes holds their typed values.
    search_attribute_payloads bytea NOT NULL,
    search_attributes      jsonb NOT NULL,
    -- Temporal hides records of a division (schedules' workflows) unless a query names it: every query filters on
    -- it, so it is a column the indexes can hold.
    namespace_division     text COLLATE "C" GENERATED ALWAYS AS (search_attributes ->> 'TemporalNamespaceDivision') STORED,
    -- Upserts carrying a lower version than the row's are ignored (at-least-once, possibly reordered delivery).
    version                bigint NOT NULL,
    PRIMARY KEY (namespace_id, run_id)
);

-- The default order (StartTime desc, RunId) and its page tokens.
CREATE INDEX executions_visibility_by_start ON executions_visibility (namespace_id, start_time DESC, run_id);
-- WorkflowType = 'X' AND ExecutionStatus = 'Running', the Web UI's and CLI's common filter, in the default order.
CREATE INDEX executions_visibility_by_type_status
    ON executions_visibility (namespace_id, workflow_type, status, start_time DESC, run_id);
-- ExecutionStatus alone, in the default order, and COUNT ... GROUP BY ExecutionStatus.
CREATE INDEX executions_visibility_by_status ON executions_visibility (namespace_id, status, start_time DESC, run_id);
CREATE INDEX executions_visibility_by_workflow_id ON executions_visibility (namespace_id, workflow_id);
CREATE INDEX executions_visibility_by_close ON executions_visibility (namespace_id, close_time DESC);
-- Keyword equality and KeywordList containment on custom and predefined attributes.
CREATE INDEX executions_visibility_search_attributes
    ON executions_visibility USING gin (search_attributes jsonb_path_ops);
