package dev.aeon.dataplane.crash;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import org.jose4j.jwk.RsaJsonWebKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import dev.aeon.embedded.CassandraServer;
import dev.aeon.embedded.LogTail;
import dev.aeon.embedded.Ports;
import dev.aeon.embedded.PostgresServer;
import dev.aeon.testing.SharedServers;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.nexusrpc.Operation;
import io.nexusrpc.Service;
import io.nexusrpc.handler.OperationHandler;
import io.nexusrpc.handler.OperationImpl;
import io.nexusrpc.handler.ServiceImpl;
import io.temporal.nexus.Nexus;
import io.temporal.nexus.WorkflowRunOperation;
import io.temporal.workflow.NexusServiceOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise: a data-plane process killed with SIGKILL while workflows have activities and timers in
 * flight loses none of them and applies no transition twice once a new process takes over.
 */
class DataPlaneCrashIT {

    static final String NAMESPACE = TestTenant.namespace("crash");
    static final String TASK_QUEUE = "crash-journeys";
    static final int WORKFLOWS = 20;

    @WorkflowInterface
    public interface Journey {
        @WorkflowMethod
        String go(String name, int pauseSeconds);
    }

    @ActivityInterface
    public interface Legs {
        String travel(String leg);
    }

    public static class JourneyImpl implements Journey {
        private final Legs legs = Workflow.newActivityStub(Legs.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(5)).build());

        @Override
        public String go(String name, int pauseSeconds) {
            String out = legs.travel(name + "-out");
            Workflow.sleep(Duration.ofSeconds(pauseSeconds));
            String back = legs.travel(name + "-back");
            return out + "|" + back;
        }
    }

    public static class LegsImpl implements Legs {
        @Override
        public String travel(String leg) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return leg.toUpperCase();
        }
    }

    private final CassandraServer cassandra = SharedServers.cassandra();
    private final PostgresServer postgres = SharedServers.postgres();
    private final int frontendPort = Ports.free();
    private final int httpPort = Ports.free();
    private StandInControlPlane controlPlane;
    private Process dataPlane;
    private WorkflowServiceStubs service;
    private WorkerFactory workers;

    @AfterEach
    void stopEverything() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (service != null) {
            service.shutdownNow();
        }
        if (dataPlane != null) {
            dataPlane.destroyForcibly();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    /** The control plane stand-in the data planes authenticate against; the account owner's API key, signed by it. */
    private String startControlPlane() throws Exception {
        controlPlane = new StandInControlPlane();
        RsaJsonWebKey signingKey = controlPlane.newSigningKey("sk-crash");
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        controlPlane.putAccess("k-crash", TestTenant.ownerAccess("k-crash", expires));
        return StandInControlPlane.sign(signingKey, "k-crash", TestTenant.ACCOUNT, StandInControlPlane.ISSUER, expires);
    }

    /**
     * Starts the first data plane with authentication on, as in production: the namespace is provisioned as the
     * control plane does it, and clients call with the account owner's API key, signed by a control plane stand-in.
     */
    private WorkflowClient startAndConnect(String namespace) throws Exception {
        String apiKey = startControlPlane();
        dataPlane = startDataPlane("first");
        TestTenant.provision(URI.create("http://127.0.0.1:" + httpPort), namespace);
        service = TestTenant.connect("127.0.0.1:" + frontendPort, apiKey);
        return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    @Test
    void killedMidFlightThenRestartedEveryWorkflowCompletesExactlyOnce() throws Exception {
        WorkflowClient client = startAndConnect(NAMESPACE);
        workers = WorkerFactory.newInstance(client);
        Worker worker = workers.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyImpl.class);
        worker.registerActivitiesImplementations(new LegsImpl());
        workers.start();

        List<String> ids = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < WORKFLOWS; i++) {
            String id = "journey-" + i + "-" + System.nanoTime();
            WorkflowStub stub = client.newUntypedWorkflowStub("Journey", WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
            stub.start("trip" + i, 2 + i % 8); // spread out, so each kill finds timers and activities pending
            ids.add(id);
            results.add(stub.getResultAsync(String.class));
        }

        // Kill while activities run and timers are pending, twice, at different moments.
        Thread.sleep(800);
        dataPlane.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        dataPlane = startDataPlane("second");
        Thread.sleep(1500);
        dataPlane.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        dataPlane = startDataPlane("third");

        for (int i = 0; i < WORKFLOWS; i++) {
            try {
                assertEquals("TRIP" + i + "-OUT|TRIP" + i + "-BACK", results.get(i).get(3, TimeUnit.MINUTES));
            } catch (java.util.concurrent.TimeoutException stuck) {
                throw new AssertionError("no result for " + ids.get(i) + " within 3 min; its history: "
                        + client.fetchHistory(ids.get(i)).getEvents().stream().map(e -> e.getEventId() + ":"
                        + e.getEventType().name().replace("EVENT_TYPE_", "")).toList(), stuck);
            }
        }
        for (String id : ids) {
            WorkflowExecutionHistory history = client.fetchHistory(id);
            List<HistoryEvent> events = history.getEvents();
            for (int e = 0; e < events.size(); e++) {
                assertEquals(e + 1, events.get(e).getEventId(), id + ": event ids run 1..n without gaps or repeats");
            }
            Map<EventType, Long> counts = events.stream()
                    .collect(Collectors.groupingBy(HistoryEvent::getEventType, Collectors.counting()));
            assertEquals(1L, counts.get(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED), id);
            assertEquals(2L, counts.get(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), id);
            assertEquals(2L, counts.get(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED), id);
            assertEquals(1L, counts.get(EventType.EVENT_TYPE_TIMER_STARTED), id);
            assertEquals(1L, counts.get(EventType.EVENT_TYPE_TIMER_FIRED), id);
            assertEquals(1L, counts.get(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED), id);
            WorkflowReplayer.replayWorkflowExecution(history, JourneyImpl.class);
        }
        // Visibility was written from the outbox across both kills: every run listed as completed, none as running.
        long deadline = System.currentTimeMillis() + 30_000;
        while (client.countWorkflows("ExecutionStatus = 'Completed'").getCount() < WORKFLOWS
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(WORKFLOWS, client.countWorkflows("ExecutionStatus = 'Completed'").getCount());
        assertEquals(0, client.countWorkflows("ExecutionStatus = 'Running'").getCount());
        assertEquals(new java.util.HashSet<>(ids), client.listExecutions("")
                .map(run -> run.getExecution().getWorkflowId()).collect(Collectors.toSet()));
    }

    /**
     * Issue 15's proof: a schedule acting every second is killed (SIGKILL) twice during its burst and restarted;
     * every second from its creation to its pause has started its workflow exactly once (the ids carry the nominal
     * times: no gap, no second run of one), the times missed while it was down caught up within the window.
     */
    @Test
    void killedDuringABurstOfScheduledActionsEveryTimeStartsOnce() throws Exception {
        String namespace = TestTenant.namespace("crash-schedules");
        WorkflowClient client = startAndConnect(namespace);
        ScheduleClient schedules = ScheduleClient.newInstance(service,
                ScheduleClientOptions.newBuilder().setNamespace(namespace).build());
        ScheduleHandle burst = schedules.createSchedule("burst", Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("Tick")
                        .setOptions(WorkflowOptions.newBuilder().setWorkflowId("tick").setTaskQueue("no-workers").build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(1))))
                        .build())
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL)
                        .build())
                .build(), ScheduleOptions.newBuilder().build());
        Instant created = burst.describe().getInfo().getCreatedAt();

        Thread.sleep(2300);
        dataPlane.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(1000); // down: these seconds are caught up after the restart
        dataPlane = startDataPlane("schedules-second");
        Thread.sleep(1700);
        dataPlane.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        dataPlane = startDataPlane("schedules-third");
        Instant restarted = Instant.now();
        Thread.sleep(3000); // at least two seconds acted on after the restart, on a slow machine too
        burst.pause("enough");

        // Every decided start is carried out (the pause takes none back); then the runs are counted.
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> ids = List.of();
        long actions = -1;
        while (System.currentTimeMillis() < deadline) {
            actions = burst.describe().getInfo().getNumActions();
            ids = client.listExecutions("TemporalScheduledById = 'burst'")
                    .map(run -> run.getExecution().getWorkflowId()).sorted().collect(Collectors.toList());
            if (ids.size() == actions && burst.describe().getInfo().getNumActions() == actions) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(actions, ids.size(), "every action counted once is one run: " + ids);
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "no time started twice: " + ids);
        Instant first = created.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals("tick-" + first.plusSeconds(i), ids.get(i), "the times run without a gap: " + ids);
        }
        Instant last = Instant.parse(ids.get(ids.size() - 1).substring("tick-".length()));
        assertTrue(!last.isBefore(restarted.truncatedTo(ChronoUnit.SECONDS)),
                "it went on acting after the last restart, up to " + last);
    }

    @Service
    public interface Greetings {
        @Operation
        String greetLater(String name);
    }

    @WorkflowInterface
    public interface HandlerGreeting {
        @WorkflowMethod
        String greet(String name);
    }

    public static class HandlerGreetingImpl implements HandlerGreeting {
        @Override
        public String greet(String name) {
            Workflow.sleep(Duration.ofMillis(300));
            return "Hello later, " + name;
        }
    }

    @ServiceImpl(service = Greetings.class)
    public static class GreetingsImpl {
        @OperationImpl
        public OperationHandler<String, String> greetLater() {
            return WorkflowRunOperation.fromWorkflowMethod((context, details, name) ->
                    Nexus.getOperationContext().getWorkflowClient().newWorkflowStub(HandlerGreeting.class,
                            WorkflowOptions.newBuilder().setWorkflowId("greet-" + name).build())::greet);
        }
    }

    @WorkflowInterface
    public interface NexusCaller {
        @WorkflowMethod
        String call(String name);
    }

    public static class NexusCallerImpl implements NexusCaller {
        @Override
        public String call(String name) {
            return Workflow.newUntypedNexusServiceStub("Greetings", NexusServiceOptions.newBuilder()
                    .setEndpoint("crash_greetings").build()).execute("greetLater", String.class, name);
        }
    }

    /**
     * Issue 16's proof: handler workflows of workflow-run operations close, and the data plane is killed (SIGKILL)
     * before their completions reach the callers (the first process holds deliveries back a few seconds, so the kill
     * lands in that window every time); the next process delivers them from the outbox, and every caller completes
     * exactly once: one started and one completed event per operation.
     */
    @Test
    void killedBetweenAHandlerWorkflowsCloseAndItsCallbackEveryCallerCompletesOnce() throws Exception {
        String callers = TestTenant.namespace("crash-nexus-callers");
        String handlers = TestTenant.namespace("crash-nexus-handlers");
        String apiKey = startControlPlane();
        dataPlane = startDataPlane("nexus-first", List.of("-Daeon.data-plane.nexus.completion-delay=6s"));
        URI http = URI.create("http://127.0.0.1:" + httpPort);
        TestTenant.provision(http, callers);
        TestTenant.provision(http, handlers);
        TestTenant.provisionNexusEndpoint(http, "crash-endpoint", "crash_greetings", handlers, "crash-handlers",
                List.of(callers));
        service = TestTenant.connect("127.0.0.1:" + frontendPort, apiKey);
        WorkflowClient callerClient = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(callers).build());
        WorkflowClient handlerClient = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(handlers).build());
        workers = WorkerFactory.newInstance(callerClient);
        workers.newWorker("crash-callers").registerWorkflowImplementationTypes(NexusCallerImpl.class);
        WorkerFactory handlerWorkers = WorkerFactory.newInstance(handlerClient);
        Worker handlerWorker = handlerWorkers.newWorker("crash-handlers");
        handlerWorker.registerWorkflowImplementationTypes(HandlerGreetingImpl.class);
        handlerWorker.registerNexusServiceImplementation(new GreetingsImpl());
        workers.start();
        handlerWorkers.start();
        try {
            int calls = 5;
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                WorkflowStub caller = callerClient.newUntypedWorkflowStub("NexusCaller", WorkflowOptions.newBuilder()
                        .setTaskQueue("crash-callers").setWorkflowId("caller-" + i).build());
                caller.start("n" + i);
                results.add(caller.getResultAsync(String.class));
            }
            // Every handler workflow closed; no completion delivered yet (held back): now the kill.
            long deadline = System.currentTimeMillis() + 30_000;
            for (int i = 0; i < calls; i++) {
                while (!closed(handlerClient, "greet-n" + i)) {
                    assertTrue(System.currentTimeMillis() < deadline, "handler workflow greet-n" + i + " did not close");
                    Thread.sleep(100);
                }
            }
            for (int i = 0; i < calls; i++) {
                assertTrue(callerClient.fetchHistory("caller-" + i).getEvents().stream().noneMatch(
                        e -> e.getEventType() == EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED),
                        "caller-" + i + " was told before the kill: the test proves nothing");
            }
            dataPlane.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            dataPlane = startDataPlane("nexus-second");

            for (int i = 0; i < calls; i++) {
                assertEquals("Hello later, n" + i, results.get(i).get(2, TimeUnit.MINUTES));
                WorkflowExecutionHistory history = callerClient.fetchHistory("caller-" + i);
                Map<EventType, Long> counts = history.getEvents().stream()
                        .collect(Collectors.groupingBy(HistoryEvent::getEventType, Collectors.counting()));
                assertEquals(1L, counts.get(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED), "caller-" + i);
                assertEquals(1L, counts.get(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED), "caller-" + i);
                assertEquals(1L, counts.get(EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED), "caller-" + i);
                assertEquals(1L, counts.get(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED), "caller-" + i);
                WorkflowReplayer.replayWorkflowExecution(history, NexusCallerImpl.class);
            }
        } finally {
            handlerWorkers.shutdownNow();
        }
    }

    private static boolean closed(WorkflowClient client, String workflowId) {
        try {
            return client.fetchHistory(workflowId).getLastEvent().getEventType()
                    == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
        } catch (RuntimeException notStartedYet) {
            return false;
        }
    }

    private Process startDataPlane(String name) throws IOException, InterruptedException {
        return startDataPlane(name, List.of());
    }

    private Process startDataPlane(String name, List<String> properties) throws IOException, InterruptedException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        Path log = Path.of("target/crash-it-" + name + ".log");
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Daeon.data-plane.grpc-port=" + frontendPort,
                "-Daeon.data-plane.http-port=" + httpPort,
                "-Daeon.cassandra.contact-points=127.0.0.1:" + cassandra.contactPoint().getPort(),
                "-Daeon.cassandra.keyspace=aeon_crash",
                "-Dquarkus.log.console.json.enabled=false",
                "-Daeon.auth.control-plane-url=" + controlPlane.baseUri(),
                "-Daeon.auth.issuer=" + StandInControlPlane.ISSUER,
                "-Daeon.tls.plaintext-allowed=true",
                "-Daeon.data-plane.visibility.enabled=true",
                "-Daeon.data-plane.visibility.postgres.jdbc-url=" + postgres.jdbcUrl(),
                "-Daeon.data-plane.visibility.postgres.username=" + PostgresServer.USER)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        command.command().addAll(properties);
        command.command().addAll(List.of("-jar", jar.toString()));
        command.environment().put("AEON_INTERNAL_TOKEN", StandInControlPlane.INTERNAL_TOKEN); // never on a command line
        Process process = command.start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("data plane exited: " + LogTail.of(log, 40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("data plane not ready: " + LogTail.of(log, 40));
    }
}
