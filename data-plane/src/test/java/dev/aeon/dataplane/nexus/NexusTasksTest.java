package dev.aeon.dataplane.nexus;

import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.Poller;
import dev.aeon.dataplane.matching.TaskQueues;
import io.temporal.api.nexus.v1.Request;
import io.temporal.api.nexus.v1.Response;
import io.temporal.api.taskqueue.v1.PollerInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Nexus requests waiting for handler workers: bounded per namespace, and gone once answered or timed out. */
class NexusTasksTest {

    private final TaskQueues matching = new TaskQueues(Duration.ofMinutes(5));
    private final NexusTasks tasks = new NexusTasks(matching, 2, "test-node");

    @Test
    void aNamespaceHoldsAtMostItsLimitOfWaitingRequests() throws Exception {
        CompletableFuture<NexusTasks.Outcome> first = tasks.dispatch("ns-a", "q", Request.getDefaultInstance(),
                Duration.ofSeconds(30));
        tasks.dispatch("ns-a", "q", Request.getDefaultInstance(), Duration.ofMillis(200));
        assertInstanceOf(NexusTasks.Outcome.Overloaded.class, tasks.dispatch("ns-a", "q",
                Request.getDefaultInstance(), Duration.ofSeconds(30)).get(1, TimeUnit.SECONDS));
        // another namespace is not held back by this one
        assertEquals(false, tasks.dispatch("ns-b", "q", Request.getDefaultInstance(), Duration.ofSeconds(30)).isDone());

        // answering one (through a worker's poll) and the other timing out make room again
        DispatchTask task = matching.poll("ns-a", "q", DispatchTask.Kind.NEXUS, Duration.ofSeconds(5),
                new Poller(PollerInfo.newBuilder().setIdentity("w").build(), false)).get(5, TimeUnit.SECONDS);
        var polled = tasks.pollResponse(task).orElseThrow();
        tasks.complete("ns-a", polled.getTaskToken(), Response.getDefaultInstance());
        assertInstanceOf(NexusTasks.Outcome.Completed.class, first.get(1, TimeUnit.SECONDS));
        Thread.sleep(400);
        assertEquals(1, tasks.waiting()); // ns-b's
        CompletableFuture<NexusTasks.Outcome> again = tasks.dispatch("ns-a", "q", Request.getDefaultInstance(),
                Duration.ofSeconds(30));
        assertEquals(false, again.isDone());
    }
}
