package dev.aeon.dataplane.nexus;

import com.google.protobuf.ByteString;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import io.temporal.api.nexus.v1.Request;
import io.temporal.api.nexus.v1.Response;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondNexusTaskFailedRequest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Nexus requests on their way to handler workers, as Temporal's matching carries them: in memory only (like query
 * tasks), each waited for by its caller until a worker answers or the request's time is up. A request goes to a
 * task queue of type NEXUS; a worker's {@code PollNexusTaskQueue} takes it ({@link #pollResponse}) and its
 * {@code RespondNexusTaskCompleted} / {@code RespondNexusTaskFailed} answer the waiting caller. An answer after the
 * deadline finds nothing: NOT_FOUND, in Temporal's words.
 */
@ApplicationScoped
public class NexusTasks {

    /** Temporal's matching waits at most a minute for a Nexus task's answer (its client's default timeout). */
    public static final Duration MAX_WAIT = Duration.ofMinutes(1);
    private static final String TOKEN_PREFIX = "aeon-nexus/";

    /** How a dispatched request ended. */
    public sealed interface Outcome {
        /** The worker's {@code RespondNexusTaskCompleted}. */
        record Completed(Response response) implements Outcome {
        }

        /** The worker's {@code RespondNexusTaskFailed}. */
        record Failed(RespondNexusTaskFailedRequest failure) implements Outcome {
        }

        /** No worker answered before the deadline. */
        record TimedOut() implements Outcome {
        }

        /** Refused at once: the namespace has as many requests waiting for its workers as it may. */
        record Overloaded(int limit) implements Outcome {
        }
    }

    private record Pending(String namespaceId, Request request, long deadlineNanos,
                           CompletableFuture<Outcome> outcome) {
    }

    private final TaskQueues matching;
    private final String nodeId;
    private final int maxWaitingPerNamespace;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Requests waiting, by namespace id: what one tenant's callers can make a node hold is bounded. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> waitingByNamespace = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "aeon-nexus-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    @jakarta.inject.Inject
    public NexusTasks(TaskQueues matching,
                      @org.eclipse.microprofile.config.inject.ConfigProperty(
                              name = "aeon.data-plane.nexus.max-waiting-requests-per-namespace", defaultValue = "1000")
                      int maxWaitingPerNamespace, dev.aeon.dataplane.cluster.Membership membership) {
        this(matching, maxWaitingPerNamespace, membership.nodeId());
    }

    /** @param nodeId this node's id, tagged in its requests' ids */
    NexusTasks(TaskQueues matching, int maxWaitingPerNamespace, String nodeId) {
        this.matching = matching;
        this.nodeId = nodeId;
        this.maxWaitingPerNamespace = maxWaitingPerNamespace;
    }

    @PreDestroy
    void stop() {
        timeouts.shutdownNow();
    }

    /**
     * Hands the request to a worker of the namespace's task queue and completes with its answer, or
     * {@link Outcome.TimedOut} after {@code wait} (at most {@link #MAX_WAIT}). Cancelling the future (the caller went
     * away) withdraws the request.
     */
    public CompletableFuture<Outcome> dispatch(String namespaceId, String taskQueue, Request request, Duration wait) {
        java.util.concurrent.atomic.AtomicInteger waiting =
                waitingByNamespace.computeIfAbsent(namespaceId, ns -> new java.util.concurrent.atomic.AtomicInteger());
        if (waiting.incrementAndGet() > maxWaitingPerNamespace) {
            waiting.decrementAndGet();
            return CompletableFuture.completedFuture(new Outcome.Overloaded(maxWaitingPerNamespace));
        }
        Duration timeout = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        String id = dev.aeon.dataplane.cluster.NodeTagged.newId(nodeId);
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        pending.put(id, new Pending(namespaceId, request, deadline, outcome));
        outcome.whenComplete((done, error) -> {
            pending.remove(id);
            waiting.decrementAndGet();
        });
        timeouts.schedule(() -> outcome.complete(new Outcome.TimedOut()), timeout.toMillis(), TimeUnit.MILLISECONDS);
        matching.offerQuery(new DispatchTask(DispatchTask.Kind.NEXUS, namespaceId, taskQueue, null, null, 0, 0, 0, id),
                deadline);
        return outcome;
    }

    /**
     * What a worker's poll gets for this task: the request, with the time left as {@code Request-Timeout} (Temporal's
     * matching sets it in both spellings; the Java SDK reads the capitalized one), and a token naming the task.
     * Empty when the caller stopped waiting meanwhile: the poll goes on.
     */
    public Optional<PollNexusTaskQueueResponse> pollResponse(DispatchTask task) {
        Pending waiting = pending.get(task.queryId());
        long left = waiting == null ? 0 : waiting.deadlineNanos() - System.nanoTime();
        if (waiting == null || waiting.outcome().isDone() || left <= 0) {
            return Optional.empty();
        }
        String timeout = TimeUnit.NANOSECONDS.toMillis(left) + "ms";
        Request request = waiting.request().toBuilder()
                .putHeader("request-timeout", timeout).putHeader("Request-Timeout", timeout).build();
        return Optional.of(PollNexusTaskQueueResponse.newBuilder()
                .setTaskToken(ByteString.copyFrom(TOKEN_PREFIX + task.namespaceId() + "/" + task.queryId(),
                        StandardCharsets.UTF_8))
                .setRequest(request).build());
    }

    /** A worker's {@code RespondNexusTaskCompleted}. */
    public void complete(String namespaceId, ByteString token, Response response) {
        answer(namespaceId, token, new Outcome.Completed(response));
    }

    /** A worker's {@code RespondNexusTaskFailed}. */
    public void fail(String namespaceId, RespondNexusTaskFailedRequest failure) {
        answer(namespaceId, failure.getTaskToken(), new Outcome.Failed(failure));
    }

    private void answer(String namespaceId, ByteString token, Outcome outcome) {
        String id = taskId(namespaceId, token);
        Pending waiting = pending.remove(id);
        if (waiting == null || !waiting.outcome().complete(outcome)) {
            throw ApiErrors.notFound("Nexus task not found or already expired");
        }
    }

    /** The id in a Nexus task's token, whatever its namespace (the node that waits for the answer is tagged in it). */
    public static Optional<String> idOf(ByteString token) {
        String text = token.toString(StandardCharsets.UTF_8);
        int slash = text.startsWith(TOKEN_PREFIX) ? text.indexOf('/', TOKEN_PREFIX.length()) : -1;
        return slash < 0 ? Optional.empty() : Optional.of(text.substring(slash + 1));
    }

    /** The task's id from its token; the token must be one of ours, issued in the worker's namespace. */
    private static String taskId(String namespaceId, ByteString token) {
        String text = token.toString(StandardCharsets.UTF_8);
        if (!text.startsWith(TOKEN_PREFIX) || text.indexOf('/', TOKEN_PREFIX.length()) < 0) {
            throw ApiErrors.invalidArgument("task_token: not a Nexus task token");
        }
        int slash = text.indexOf('/', TOKEN_PREFIX.length());
        if (!text.substring(TOKEN_PREFIX.length(), slash).equals(namespaceId)) {
            throw ApiErrors.invalidArgument("task_token: issued for another namespace");
        }
        return text.substring(slash + 1);
    }

    /** Requests waiting for a worker's answer, for tests and metrics. */
    public int waiting() {
        return pending.size();
    }
}
