package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.cluster.PeerService;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueueSnapshot;
import dev.aeon.dataplane.matching.TaskQueues;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A task queue as the whole cluster holds it, for DescribeTaskQueue. With shards spread each node's matching holds
 * its own shards' tasks ({@link ClusterPolls}), so the queue's backlog is the sum of every node's, and its pollers
 * are every node's together. A node that does not answer in time is left out: describing a queue is a look at it,
 * and a node going away must not make it fail.
 */
@ApplicationScoped
public class ClusterTaskQueues {

    private static final Logger LOG = Logger.getLogger(ClusterTaskQueues.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final String SNAPSHOT = "matching.snapshot";

    private final TaskQueues matching;
    private final PeerService peers;
    private final Membership membership;
    private final HistoryEngine engine;

    public ClusterTaskQueues(TaskQueues matching, PeerService peers, Membership membership, HistoryEngine engine) {
        this.matching = matching;
        this.peers = peers;
        this.membership = membership;
        this.engine = engine;
    }

    void start(@Observes StartupEvent event) {
        peers.handleLater(SNAPSHOT, arguments -> {
            PeerMessage.Reader in = PeerMessage.read(arguments);
            String namespaceId = in.string();
            String name = in.string();
            DispatchTask.Kind kind = DispatchTask.Kind.values()[(int) in.number()];
            return CompletableFuture.completedFuture(encode(matching.snapshot(namespaceId, name, kind)));
        });
    }

    /** The queue on every node, merged ({@link TaskQueueSnapshot#merge}); this node's alone with one node. */
    public TaskQueueSnapshot snapshot(String namespaceId, String name, DispatchTask.Kind kind) {
        TaskQueueSnapshot here = matching.snapshot(namespaceId, name, kind);
        if (!engine.shardsSpread()) {
            return here;
        }
        byte[] question = PeerMessage.write().string(namespaceId).string(name).number(kind.ordinal()).done();
        List<CompletableFuture<TaskQueueSnapshot>> asked = new ArrayList<>();
        for (Member other : membership.members()) {
            if (!other.nodeId().equals(membership.nodeId())) {
                asked.add(peers.callLater(other, SNAPSHOT, question, ASK_TIMEOUT).thenApply(ClusterTaskQueues::decode)
                        .exceptionally(e -> {
                            LOG.debugf("node %s did not describe task queue %s: %s", other.nodeId(), name,
                                    e.getMessage());
                            return TaskQueueSnapshot.EMPTY;
                        }));
            }
        }
        List<TaskQueueSnapshot> all = new ArrayList<>();
        all.add(here);
        asked.forEach(answer -> all.add(answer.join()));
        return TaskQueueSnapshot.merge(all);
    }

    private static byte[] encode(TaskQueueSnapshot queue) {
        PeerMessage.Writer out = PeerMessage.write().number(queue.pollers().size());
        queue.pollers().forEach(out::proto);
        return out.number(queue.backlog()).number(queue.backlogAge().toMillis())
                .number(Float.floatToIntBits(queue.addRate())).number(Float.floatToIntBits(queue.dispatchRate()))
                .number(queue.sticky() ? 1 : 0).done();
    }

    private static TaskQueueSnapshot decode(byte[] answer) {
        PeerMessage.Reader in = PeerMessage.read(answer);
        int count = (int) in.number();
        List<PollerInfo> pollers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pollers.add(in.proto(PollerInfo.parser()));
        }
        return new TaskQueueSnapshot(pollers, (int) in.number(), Duration.ofMillis(in.number()),
                Float.intBitsToFloat((int) in.number()), Float.intBitsToFloat((int) in.number()), in.number() == 1);
    }
}
