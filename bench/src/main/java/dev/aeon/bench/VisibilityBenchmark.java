package dev.aeon.bench;

import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Issue 14's numbers, against a running platform with visibility on:
 * <ol>
 *   <li>query latency over a large table: a generator writes {@code rows} closed and {@code running} running
 *   records spread over {@code namespaces} namespaces (one of them the platform's namespace, the others made-up
 *   ids) straight into the visibility table, in one SQL statement each, not through the SDK; then the first page
 *   of {@code WorkflowType = 'X' AND ExecutionStatus = 'Running'} and {@code COUNT ... GROUP BY ExecutionStatus}
 *   of the platform's namespace are timed through WorkflowService, with the API key, as a tenant calls them;</li>
 *   <li>visibility lag under load: the workflow benchmark's closed loop (one-activity workflows) runs, and for every
 *   completed workflow a checker polls ListWorkflowExecutions until the run shows as completed; the lag is from the
 *   result reaching the client to the record being listable (an upper bound: the close was committed before).</li>
 * </ol>
 * The generated rows are deleted at the end (their run ids start with "gen-").
 */
public final class VisibilityBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchTarget.parse(args);
        BenchTarget target = BenchTarget.of(options);
        String jdbcUrl = options.get("jdbc-url");
        int rows = Integer.parseInt(options.getOrDefault("rows", "1000000"));
        int running = Integer.parseInt(options.getOrDefault("running", "10000"));
        int namespaces = Integer.parseInt(options.getOrDefault("namespaces", "10"));
        int samples = Integer.parseInt(options.getOrDefault("samples", "200"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "45")));

        WorkflowServiceStubs service = target.connect();
        WorkflowServiceGrpc.WorkflowServiceBlockingStub api = service.blockingStub();
        String namespaceId = api.describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setNamespace(target.namespace).build()).getNamespaceInfo().getId();

        try (Connection db = DriverManager.getConnection(jdbcUrl, options.getOrDefault("db-user", "postgres"),
                options.getOrDefault("db-password", ""))) {
            generate(db, namespaceId, rows, running, namespaces);
            printVisibilityMap(db);
            long checkpointsBefore = checkpoints(db);
            timeQueries(api, target.namespace, samples);
            // What the grouped count cost PostgreSQL, and whether a checkpoint ran while it was timed: a slow p99
            // with an index-only scan and no heap fetches is the machine's, not the plan's.
            System.out.printf("checkpoints while timing queries: %d%n", checkpoints(db) - checkpointsBefore);
            explainGroupedCount(db, namespaceId);
            measureLag(service, target, concurrency, duration);
        } finally {
            try (Connection db = DriverManager.getConnection(jdbcUrl, options.getOrDefault("db-user", "postgres"),
                    options.getOrDefault("db-password", ""));
                 Statement statement = db.createStatement()) {
                int deleted = statement.executeUpdate(
                        "DELETE FROM visibility.executions_visibility WHERE run_id LIKE 'gen-%'");
                System.out.printf("cleanup: %,d generated rows deleted%n", deleted);
            }
            service.shutdownNow();
        }
    }

    /**
     * Rows as the engine writes them, in each namespace {@code rows / namespaces} closed (statuses spread over the
     * closed ones, closed within the last 30 days) and {@code running / namespaces} running, 20 workflow types.
     */
    private static void generate(Connection db, String namespaceId, int rows, int running, int namespaces)
            throws SQLException {
        long began = System.nanoTime();
        String insert = """
                INSERT INTO visibility.executions_visibility (namespace_id, run_id, workflow_id, workflow_type, status,
                    start_time, execution_time, close_time, execution_duration, history_length, history_size_bytes,
                    state_transition_count, task_queue, root_workflow_id, root_run_id, memo,
                    search_attribute_payloads, search_attributes, version)
                SELECT CASE WHEN n %% ? = 0 THEN ? ELSE 'gen-ns-' || (n %% ?) END,
                    'gen-' || ? || '-' || n, 'gen-wf-' || n, 'BenchType' || (n / ? %% 20), %s,
                    start_at, start_at, %s, %s, 11, 2048, 7, 'bench', 'gen-wf-' || n, 'gen-' || ? || '-' || n,
                    '', '', '{}'::jsonb, 7
                FROM (SELECT n, now() - (random() * interval '30 days') AS start_at
                      FROM generate_series(1, ?) AS n) generated
                """;
        try (PreparedStatement closed = db.prepareStatement(insert.formatted("2 + (n % 6)",
                "start_at + interval '3 seconds'", "3000000000"));
             PreparedStatement open = db.prepareStatement(insert.formatted("1", "NULL", "NULL"))) {
            bind(closed, namespaces, namespaceId, "closed", rows);
            int closedRows = closed.executeUpdate();
            bind(open, namespaces, namespaceId, "open", running);
            int openRows = open.executeUpdate();
            try (Statement statement = db.createStatement()) {
                statement.execute("VACUUM ANALYZE visibility.executions_visibility");
            }
            System.out.printf("generated: %,d closed and %,d running records over %d namespaces in %d s%n",
                    closedRows, openRows, namespaces, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        }
    }

    private static void bind(PreparedStatement statement, int namespaces, String namespaceId, String kind, int count)
            throws SQLException {
        statement.setInt(1, namespaces);
        statement.setString(2, namespaceId);
        statement.setInt(3, namespaces);
        statement.setString(4, kind);
        statement.setInt(5, namespaces);
        statement.setString(6, kind);
        statement.setInt(7, count);
    }

    /**
     * How much of the table VACUUM marked all-visible, which is what lets a count be an index-only scan. A VACUUM
     * cannot mark rows newer than the oldest snapshot still open anywhere, such as that of the autovacuum the
     * previous run's cleanup started; so this vacuums again until 99% of the pages are all-visible (at most two
     * minutes), as autovacuum keeps a table in service, and says how many rounds that took.
     */
    private static void printVisibilityMap(Connection db) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int round = 1; ; round++) {
            long pages;
            long allVisible;
            try (Statement statement = db.createStatement(); java.sql.ResultSet row = statement.executeQuery(
                    "SELECT relpages, relallvisible FROM pg_class "
                            + "WHERE oid = 'visibility.executions_visibility'::regclass")) {
                row.next();
                pages = row.getLong(1);
                allVisible = row.getLong(2);
            }
            if (allVisible >= pages * 0.99 || System.nanoTime() > deadline) {
                System.out.printf("table pages: %,d, all-visible: %,d (after %d vacuum round(s))%n", pages,
                        allVisible, round);
                return;
            }
            Thread.sleep(5_000);
            try (Statement statement = db.createStatement()) {
                statement.execute("VACUUM ANALYZE visibility.executions_visibility");
            }
        }
    }

    /** Checkpoints so far (PostgreSQL 17 counts them in pg_stat_checkpointer, older ones in pg_stat_bgwriter). */
    private static long checkpoints(Connection db) throws SQLException {
        String query = db.getMetaData().getDatabaseMajorVersion() >= 17
                ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
                : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
        try (Statement statement = db.createStatement(); java.sql.ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The plan of the count by status as the store runs it (index-only scan of V2's partial index, heap fetches). */
    private static void explainGroupedCount(Connection db, String namespaceId) throws SQLException {
        try (PreparedStatement explain = db.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) SELECT status, count(*) "
                + "FROM visibility.executions_visibility WHERE namespace_id = ? AND namespace_division IS NULL "
                + "GROUP BY 1 ORDER BY 2 DESC, 1")) {
            explain.setString(1, namespaceId);
            try (java.sql.ResultSet plan = explain.executeQuery()) {
                System.out.println("plan of COUNT GROUP BY ExecutionStatus:");
                while (plan.next()) {
                    System.out.println("  " + plan.getString(1));
                }
            }
        }
    }

    private static void timeQueries(WorkflowServiceGrpc.WorkflowServiceBlockingStub api, String namespace,
                                    int samples) {
        report("first page of WorkflowType = 'BenchType7' AND ExecutionStatus = 'Running' (page size 100)",
                samples, () -> api.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(namespace).setPageSize(100)
                        .setQuery("WorkflowType = 'BenchType7' AND ExecutionStatus = 'Running'").build())
                        .getExecutionsCount());
        report("COUNT GROUP BY ExecutionStatus", samples / 4, () -> (int) api.countWorkflowExecutions(
                CountWorkflowExecutionsRequest.newBuilder().setNamespace(namespace)
                        .setQuery("GROUP BY ExecutionStatus").build()).getCount());
        report("COUNT of ExecutionStatus = 'Running'", samples / 4, () -> (int) api.countWorkflowExecutions(
                CountWorkflowExecutionsRequest.newBuilder().setNamespace(namespace)
                        .setQuery("ExecutionStatus = 'Running'").build()).getCount());
    }

    private static void report(String what, int samples, Supplier<Integer> call) {
        for (int i = 0; i < 5; i++) {
            call.get(); // warm the connection, the plan cache and PostgreSQL's buffers
        }
        List<Long> nanos = new ArrayList<>();
        int result = 0;
        for (int i = 0; i < samples; i++) {
            long began = System.nanoTime();
            result = call.get();
            nanos.add(System.nanoTime() - began);
        }
        Collections.sort(nanos);
        System.out.printf("%s: %d samples, p50 %d ms, p99 %d ms, max %d ms (answer %,d)%n", what, samples,
                BenchTarget.percentileMillis(nanos, 0.50), BenchTarget.percentileMillis(nanos, 0.99),
                BenchTarget.percentileMillis(nanos, 1.0), result);
    }

    /** The workflow benchmark's closed loop, each completed run then awaited in ListWorkflowExecutions. */
    private static void measureLag(WorkflowServiceStubs service, BenchTarget target, int concurrency,
                                   Duration duration) throws InterruptedException {
        WorkflowClient client = target.client(service);
        String taskQueue = "bench-visibility-" + UUID.randomUUID();
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(WorkflowBenchmark.OneActivityImpl.class);
        worker.registerActivitiesImplementations(new WorkflowBenchmark.EchoImpl());
        factory.start();
        WorkflowServiceGrpc.WorkflowServiceBlockingStub api = service.blockingStub();
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        List<String> unlisted = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService starters = Executors.newFixedThreadPool(concurrency);
        ExecutorService checkers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < concurrency; i++) {
            starters.execute(() -> {
                while (System.nanoTime() < end) {
                    String workflowId = "bench-visibility-" + UUID.randomUUID();
                    WorkflowStub stub = client.newUntypedWorkflowStub("OneActivity", WorkflowOptions.newBuilder()
                            .setTaskQueue(taskQueue).setWorkflowId(workflowId).build());
                    stub.start("ping");
                    stub.getResult(String.class);
                    long closed = System.nanoTime();
                    checkers.execute(() -> awaitListed(api, target.namespace, workflowId, closed, lags, unlisted));
                }
            });
        }
        starters.shutdown();
        starters.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
        checkers.shutdown();
        checkers.awaitTermination(120, TimeUnit.SECONDS);
        factory.shutdownNow();
        List<Long> sorted = new ArrayList<>(lags);
        Collections.sort(sorted);
        System.out.printf("visibility lag (result at the client → listed as completed), %d workflows under load of %d "
                        + "starters: p50 %d ms, p99 %d ms, max %d ms; not listed within 30 s: %d%n", sorted.size(),
                concurrency, BenchTarget.percentileMillis(sorted, 0.50), BenchTarget.percentileMillis(sorted, 0.99),
                BenchTarget.percentileMillis(sorted, 1.0), unlisted.size());
    }

    private static void awaitListed(WorkflowServiceGrpc.WorkflowServiceBlockingStub api, String namespace,
                                    String workflowId, long closed, List<Long> lags, List<String> unlisted) {
        ListWorkflowExecutionsRequest request = ListWorkflowExecutionsRequest.newBuilder().setNamespace(namespace)
                .setQuery("WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Completed'").build();
        long deadline = closed + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (api.listWorkflowExecutions(request).getExecutionsCount() > 0) {
                lags.add(System.nanoTime() - closed);
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        unlisted.add(workflowId);
    }
}
