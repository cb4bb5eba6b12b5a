package dev.aeon.dataplane.visibility.store.postgres;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.visibility.query.QueryConverter;
import dev.aeon.dataplane.visibility.query.QueryErrors;
import dev.aeon.dataplane.visibility.query.QueryValues;
import dev.aeon.dataplane.visibility.query.SearchAttributeCatalog;
import dev.aeon.dataplane.visibility.query.VisibilityQuery;
import dev.aeon.dataplane.visibility.store.PageTokens;
import dev.aeon.dataplane.visibility.store.SearchAttributeCodec;
import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import dev.aeon.dataplane.visibility.store.postgres.PostgresQueryTranslator.Sql;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default {@link VisibilityStore}: one {@code executions_visibility} table in PostgreSQL, system attributes in
 * columns, the others in a JSONB object (see {@code db/visibility/V1__executions_visibility.sql} for the indexes).
 * Every statement is parameterized; {@link PostgresQueryTranslator} builds the WHERE clause.
 */
public final class PostgresVisibilityStore implements VisibilityStore {

    private static final String COLUMNS = "namespace_id, run_id, workflow_id, workflow_type, status, start_time,"
            + " execution_time, close_time, history_length, history_size_bytes, state_transition_count, task_queue,"
            + " parent_workflow_id, parent_run_id, root_workflow_id, root_run_id, memo, search_attribute_payloads,"
            + " version";

    private static final String UPSERT = "INSERT INTO executions_visibility (namespace_id, run_id, workflow_id,"
            + " workflow_type, status, start_time, execution_time, close_time, execution_duration, history_length,"
            + " history_size_bytes, state_transition_count, task_queue, parent_workflow_id, parent_run_id,"
            + " root_workflow_id, root_run_id, memo, search_attribute_payloads, search_attributes, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
            + " ON CONFLICT (namespace_id, run_id) DO UPDATE SET workflow_id = EXCLUDED.workflow_id,"
            + " workflow_type = EXCLUDED.workflow_type, status = EXCLUDED.status, start_time = EXCLUDED.start_time,"
            + " execution_time = EXCLUDED.execution_time, close_time = EXCLUDED.close_time,"
            + " execution_duration = EXCLUDED.execution_duration, history_length = EXCLUDED.history_length,"
            + " history_size_bytes = EXCLUDED.history_size_bytes,"
            + " state_transition_count = EXCLUDED.state_transition_count, task_queue = EXCLUDED.task_queue,"
            + " parent_workflow_id = EXCLUDED.parent_workflow_id, parent_run_id = EXCLUDED.parent_run_id,"
            + " root_workflow_id = EXCLUDED.root_workflow_id, root_run_id = EXCLUDED.root_run_id,"
            + " memo = EXCLUDED.memo, search_attribute_payloads = EXCLUDED.search_attribute_payloads,"
            + " search_attributes = EXCLUDED.search_attributes, version = EXCLUDED.version"
            // Invariant: a record never goes back to an older state of its run.
            + " WHERE executions_visibility.version <= EXCLUDED.version";

    private final DataSource dataSource;
    private final PageTokens pageTokens;

    public PostgresVisibilityStore(DataSource dataSource, PageTokens pageTokens) {
        this.dataSource = dataSource;
        this.pageTokens = pageTokens;
    }

    @Override
    public void upsert(VisibilityRecord record, Map<String, IndexedValueType> customAttributes) {
        execute(UPSERT, statement -> {
            bind(statement, record, customAttributes);
            statement.executeUpdate();
            return null;
        });
    }

    /** One transaction, one round trip: the rows of many tasks cost one commit. */
    @Override
    public void upsertAll(List<Upsert> upserts) {
        if (upserts.isEmpty()) {
            return;
        }
        inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                for (Upsert upsert : upserts) {
                    bind(statement, upsert.record(), upsert.customAttributes());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        });
    }

    private interface TransactionWork {
        void run(Connection connection) throws SQLException;
    }

    /** All of {@code work} or none of it. */
    private void inTransaction(TransactionWork work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            throw ApiErrors.unavailable("visibility store unavailable (SQLState " + state + ")");
        }
    }

    private static void bind(PreparedStatement statement, VisibilityRecord record,
                             Map<String, IndexedValueType> customAttributes) throws SQLException {
        String indexed = SearchAttributeCodec.index(record.searchAttributes(), customAttributes).toString();
        Duration duration = record.executionDuration();
        int i = 0;
        statement.setString(++i, record.namespaceId());
        statement.setString(++i, record.runId());
        statement.setString(++i, record.workflowId());
        statement.setString(++i, record.workflowType());
        statement.setShort(++i, (short) record.status().getNumber());
        statement.setObject(++i, timestamp(record.startTime()));
        statement.setObject(++i, timestamp(record.executionTime()));
        statement.setObject(++i, record.closeTime() == null ? null : timestamp(record.closeTime()),
                Types.TIMESTAMP_WITH_TIMEZONE);
        if (duration == null) {
            statement.setNull(++i, Types.BIGINT);
        } else {
            statement.setLong(++i, duration.toNanos());
        }
        statement.setLong(++i, record.historyLength());
        statement.setLong(++i, record.historySizeBytes());
        statement.setLong(++i, record.stateTransitionCount());
        statement.setString(++i, record.taskQueue());
        statement.setString(++i, record.parentWorkflowId());
        statement.setString(++i, record.parentRunId());
        statement.setString(++i, record.rootWorkflowId());
        statement.setString(++i, record.rootRunId());
        statement.setBytes(++i, record.memo().toByteArray());
        statement.setBytes(++i, record.searchAttributes().toByteArray());
        statement.setString(++i, indexed);
        statement.setLong(++i, record.version());
    }

    @Override
    public void delete(String namespaceId, String workflowId, String runId) {
        execute("DELETE FROM executions_visibility WHERE namespace_id = ? AND run_id = ? AND workflow_id = ?",
                statement -> {
                    statement.setString(1, namespaceId);
                    statement.setString(2, runId);
                    statement.setString(3, workflowId);
                    return statement.executeUpdate();
                });
    }

    @Override
    public long deleteNamespace(String namespaceId) {
        return execute("DELETE FROM executions_visibility WHERE namespace_id = ?", statement -> {
            statement.setString(1, namespaceId);
            return (long) statement.executeUpdate();
        });
    }

    /** Once per namespace, in one transaction that also marks it done (V3); concurrent nodes converge. */
    @Override
    public void moveToFields(String namespaceId, Map<String, String> fieldsByName) {
        inTransaction(connection -> {
            if (movedToFields(connection, namespaceId)) {
                return;
            }
            for (Map.Entry<String, String> attribute : fieldsByName.entrySet()) {
                String name = attribute.getKey();
                if (!name.equals(attribute.getValue()) && !fieldsByName.containsValue(name)) {
                    moveKey(connection, namespaceId, name, attribute.getValue());
                }
            }
            try (PreparedStatement done = connection.prepareStatement("INSERT INTO namespaces_by_field"
                    + " (namespace_id) VALUES (?) ON CONFLICT DO NOTHING")) {
                done.setString(1, namespaceId);
                done.executeUpdate();
            }
        });
    }

    private static boolean movedToFields(Connection connection, String namespaceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM namespaces_by_field WHERE namespace_id = ?")) {
            statement.setString(1, namespaceId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private static void moveKey(Connection connection, String namespaceId, String name, String field)
            throws SQLException {
        // jsonb_exists is the ? operator, which JDBC would read as a parameter.
        try (PreparedStatement statement = connection.prepareStatement("UPDATE executions_visibility"
                + " SET search_attributes = (search_attributes - ?) || jsonb_build_object(?::text, search_attributes -> ?)"
                + " WHERE namespace_id = ? AND jsonb_exists(search_attributes, ?)")) {
            statement.setString(1, name);
            statement.setString(2, field);
            statement.setString(3, name);
            statement.setString(4, namespaceId);
            statement.setString(5, name);
            statement.executeUpdate();
        }
    }

    @Override
    public Page scan(ListRequest request) {
        return list(request);
    }

    @Override
    public Page list(ListRequest request) {
        VisibilityQuery query = convert(request.query(), request.customAttributes());
        if (!query.groupBy().isEmpty()) {
            throw QueryErrors.invalidQuery("operation is not supported: 'GROUP BY' clause");
        }
        int pageSize = request.pageSize() <= 0 || request.pageSize() > MAX_PAGE_SIZE ? MAX_PAGE_SIZE
                : request.pageSize();
        Sql where = PostgresQueryTranslator.where(request.namespaceId(), query);
        List<Object> parameters = new ArrayList<>(where.parameters());
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM executions_visibility WHERE ").append(where.text());
        if (request.pageToken().length > 0) {
            PageTokens.Position after = pageTokens.decode(request.namespaceId(), request.query(), request.pageToken());
            sql.append(" AND (start_time < ? OR (start_time = ? AND run_id > ?))");
            parameters.add(timestamp(after.startTime()));
            parameters.add(timestamp(after.startTime()));
            parameters.add(after.runId());
        }
        // One row more than the page tells whether another page follows, so the last page carries no token.
        sql.append(" ORDER BY start_time DESC, run_id LIMIT ?");
        parameters.add(pageSize + 1);
        List<VisibilityRecord> records = execute(sql.toString(), statement -> {
            bind(statement, parameters);
            List<VisibilityRecord> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(record(result));
                }
            }
            return rows;
        });
        if (records.size() <= pageSize) {
            return new Page(List.copyOf(records), new byte[0]);
        }
        List<VisibilityRecord> page = List.copyOf(records.subList(0, pageSize));
        VisibilityRecord last = page.get(pageSize - 1);
        byte[] token = pageTokens.encode(request.namespaceId(), request.query(),
                new PageTokens.Position(last.startTime(), last.runId()));
        return new Page(page, token);
    }

    @Override
    public Count count(CountRequest request) {
        VisibilityQuery query = convert(request.query(), request.customAttributes());
        Sql where = PostgresQueryTranslator.where(request.namespaceId(), query);
        if (query.groupBy().isEmpty()) {
            long total = execute("SELECT count(*) FROM executions_visibility WHERE " + where.text(), statement -> {
                bind(statement, where.parameters());
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            });
            return new Count(total, List.of());
        }
        VisibilityQuery.Attribute attribute = query.groupBy().get(0);
        Sql group = PostgresQueryTranslator.groupExpression(attribute);
        List<Object> parameters = new ArrayList<>(group.parameters());
        parameters.addAll(where.parameters());
        List<Group> groups = execute("SELECT " + group.text() + ", count(*) FROM executions_visibility WHERE "
                + where.text() + " GROUP BY 1 ORDER BY 2 DESC, 1", statement -> {
            bind(statement, parameters);
            List<Group> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Object value = result.getObject(1);
                    if (attribute.name().equals(SearchAttributeCatalog.EXECUTION_STATUS)) {
                        value = QueryValues.statusName(WorkflowExecutionStatus.forNumber(result.getInt(1)));
                    }
                    rows.add(new Group(java.util.Collections.singletonList(value), result.getLong(2)));
                }
            }
            return rows;
        });
        return new Count(groups.stream().mapToLong(Group::count).sum(), List.copyOf(groups));
    }

    /** Temporal's SQL stores cannot sort by anything but their own order. */
    private static VisibilityQuery convert(String query, CustomSearchAttributes customAttributes) {
        VisibilityQuery converted = QueryConverter.convert(query, customAttributes);
        if (!converted.orderBy().isEmpty()) {
            throw QueryErrors.invalidQuery("operation is not supported: 'ORDER BY' clause");
        }
        return converted;
    }

    private static VisibilityRecord record(ResultSet row) throws SQLException {
        try {
            return VisibilityRecord.builder()
                    .namespaceId(row.getString("namespace_id"))
                    .runId(row.getString("run_id"))
                    .workflowId(row.getString("workflow_id"))
                    .workflowType(row.getString("workflow_type"))
                    .status(WorkflowExecutionStatus.forNumber(row.getShort("status")))
                    .startTime(instant(row, "start_time"))
                    .executionTime(instant(row, "execution_time"))
                    .closeTime(instant(row, "close_time"))
                    .historyLength(row.getLong("history_length"))
                    .historySizeBytes(row.getLong("history_size_bytes"))
                    .stateTransitionCount(row.getLong("state_transition_count"))
                    .taskQueue(row.getString("task_queue"))
                    .parentWorkflowId(row.getString("parent_workflow_id"))
                    .parentRunId(row.getString("parent_run_id"))
                    .rootWorkflowId(row.getString("root_workflow_id"))
                    .rootRunId(row.getString("root_run_id"))
                    .memo(Memo.parseFrom(row.getBytes("memo")))
                    .searchAttributes(SearchAttributes.parseFrom(row.getBytes("search_attribute_payloads")))
                    .version(row.getLong("version"))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("a visibility row holds an unreadable memo or search attributes", e);
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** PostgreSQL keeps microseconds; page tokens carry what it returns. */
    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private interface Work<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T execute(String sql, Work<T> work) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            return work.run(statement);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("22")) {
                // A data exception: a value PostgreSQL cannot hold (a NUL character) or a stored value that no
                // longer casts to its attribute's type (the attribute was re-registered with another type).
                throw QueryErrors.invalidQuery("PostgreSQL cannot evaluate a value of the query (SQLState "
                        + state + ")");
            }
            throw ApiErrors.unavailable("visibility store unavailable (SQLState " + state + ")");
        }
    }
}
