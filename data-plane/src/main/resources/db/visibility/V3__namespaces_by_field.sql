-- Namespaces whose records hold custom search attributes by field only (Keyword01). Records written before fields
-- existed hold them by name; the data plane moves them to their fields once per namespace and marks it here, so
-- nodes starting later skip it (PostgresVisibilityStore.moveToFields).
CREATE TABLE namespaces_by_field (
    namespace_id text COLLATE "C" PRIMARY KEY
);
