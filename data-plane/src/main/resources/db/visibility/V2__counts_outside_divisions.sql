-- Counts (COUNT, and COUNT ... GROUP BY ExecutionStatus) read every matching row of a namespace. Every query also
-- filters on namespace_division IS NULL (Temporal hides divisions' records unless asked), which no index of V1
-- holds, so each counted row cost a heap read. This partial index holds exactly the rows such queries see, with
-- the status, so counts by status are index-only scans.
CREATE INDEX executions_visibility_counts ON executions_visibility (namespace_id, status)
    WHERE namespace_division IS NULL;
