package dev.aeon.dataplane.frontend;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.cluster.PeerService;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker's poll across the nodes. With shards spread, each node's matching holds the tasks of the shards it owns
 * (a task is matched where its workflow's history is, so starting it needs no other node), which makes every node a
 * partition of every task queue. A poll that reaches one node therefore waits on all of them at once: on its own
 * matching, and on each other node's through a {@code matching.poll} call. The first task found anywhere wins:
 * <ul>
 *   <li>found here: started here, as on a single node;</li>
 *   <li>found on another node: that node reserves the task and offers it; if the poll is still unclaimed it takes
 *   it ({@code matching.take}: the owner records the start and returns the worker's response), otherwise declines
 *   it ({@code matching.decline}: the owner queues it again).</li>
 * </ul>
 * The other waits end at once ({@code matching.cancel}); a task that reached one of them meanwhile is offered and
 * declined, so none is ever handed to nobody. An offer nobody answers (the polling node died) is queued again after
 * {@link #OFFER_TTL}; one whose poll's node went away before it was offered goes back at once. With one node, the poll waits on its own matching alone, as it always did.
 */
@ApplicationScoped
public class ClusterPolls {

    private static final Logger LOG = Logger.getLogger(ClusterPolls.class);
    private static final Duration OFFER_TTL = Duration.ofSeconds(2);
    /** How much longer than the poll itself a node waits for another node's answer to it. */
    private static final Duration CALL_MARGIN = Duration.ofSeconds(10);

    private final TaskQueues matching;
    private final PeerService peers;
    private final Membership membership;
    private final HistoryEngine engine;
    private final PollStarters starters;
    private final ExecutorService executor;
    /** Other nodes' polls waiting on this node's matching, by poll id. */
    private final Map<String, CompletableFuture<DispatchTask>> waiting = new ConcurrentHashMap<>();
    /** Tasks this node offered to another node's poll, by poll id, until taken, declined or expired. */
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-poll-offers");
        t.setDaemon(true);
        return t;
    });

    private record Offer(DispatchTask task, PollStarters.Spec<?> spec) {
    }

    public ClusterPolls(TaskQueues matching, PeerService peers, Membership membership, HistoryEngine engine,
                        PollStarters starters) {
        this.matching = matching;
        this.peers = peers;
        this.membership = membership;
        this.engine = engine;
        this.starters = starters;
        this.executor = engine.executor();
    }

    void start(@Observes StartupEvent event) {
        membership.onMembers(members -> active.forEach(round -> round.extend(members)));
        peers.handleLater("matching.poll", this::pollForOther);
        peers.handleLater("matching.cancel", arguments -> {
            CompletableFuture<DispatchTask> poll = waiting.get(PeerMessage.read(arguments).string());
            if (poll != null) {
                poll.cancel(false);
            }
            return CompletableFuture.completedFuture(null);
        });
        peers.handle("matching.take", this::take, executor);
        peers.handleLater("matching.decline", arguments -> {
            Offer offer = offers.remove(PeerMessage.read(arguments).string());
            if (offer != null) {
                matching.requeue(offer.task());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * How one round of a poll ended: {@code response} when a task was started for it; {@code ended} when no task
     * came before the wait ran out; neither when the task found was stale (poll again).
     */
    public record Outcome<T>(T response, boolean ended) {
    }

    /** One round of a worker's poll; {@link #cancel} when its caller went away. */
    public final class Round<T extends Message> {
        private final CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
        /** Set once: by the part whose task is started, or when every part ended with none (or the caller left). */
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicInteger open = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile CompletableFuture<DispatchTask> local;
        private final List<Remote> remotes = new ArrayList<>();
        private final String namespaceId;
        private final PollStarters.Spec<T> spec;
        private final long deadlineNanos;

        private record Remote(Member node, String pollId) {
        }

        private Round(String namespaceId, PollStarters.Spec<T> spec, long deadlineNanos) {
            this.namespaceId = namespaceId;
            this.spec = spec;
            this.deadlineNanos = deadlineNanos;
        }

        public CompletableFuture<Outcome<T>> outcome() {
            return outcome;
        }

        /** The caller went away: every wait ends, a task already found goes back to its queue. */
        public void cancel() {
            cancelled = true;
            endWaits(null);
        }

        private boolean claim() {
            return !cancelled && claimed.compareAndSet(false, true);
        }

        private void partDone() {
            if (open.decrementAndGet() == 0 && claimed.compareAndSet(false, true)) {
                outcome.complete(new Outcome<>(null, true));
            }
        }

        /** A node joined while this round waits: wait on it too (its shards' tasks are matched only there). */
        private void extend(List<Member> members) {
            long left = deadlineNanos - System.nanoTime();
            for (Member member : members) {
                boolean known;
                synchronized (remotes) {
                    known = member.nodeId().equals(membership.nodeId())
                            || remotes.stream().anyMatch(r -> r.node().nodeId().equals(member.nodeId()));
                }
                if (known || claimed.get() || cancelled || left <= 0) {
                    continue;
                }
                open.incrementAndGet();
                pollThere(this, member, namespaceId, spec, Duration.ofNanos(left));
            }
        }

        private void endWaits(Remote except) {
            CompletableFuture<DispatchTask> own = local;
            if (own != null) {
                own.cancel(false);
            }
            List<Remote> others;
            synchronized (remotes) {
                others = List.copyOf(remotes);
            }
            for (Remote remote : others) {
                if (remote != except) {
                    peers.callLater(remote.node(), "matching.cancel", PeerMessage.write().string(remote.pollId()).done(),
                            CALL_MARGIN).exceptionally(e -> null);
                }
            }
        }
    }

    /** Rounds waiting now, which a node that joins must reach too. */
    private final java.util.Set<Round<?>> active = ConcurrentHashMap.newKeySet();

    /**
     * Waits up to {@code wait} for a task for this poll on every node, and starts the first one found.
     */
    public <T extends Message> Round<T> poll(String namespaceId, PollStarters.Spec<T> spec, Duration wait) {
        List<Member> others = engine.shardsSpread() ? membership.members().stream()
                .filter(m -> !m.nodeId().equals(membership.nodeId())).toList() : List.of();
        Round<T> round = new Round<>(namespaceId, spec, System.nanoTime() + wait.toNanos());
        round.open.set(1 + others.size());
        if (engine.shardsSpread()) {
            active.add(round);
            round.outcome.whenComplete((done, error) -> active.remove(round));
        }
        pollHere(round, namespaceId, spec, wait, others.isEmpty());
        for (Member other : others) {
            pollThere(round, other, namespaceId, spec, wait);
        }
        return round;
    }

    private <T extends Message> void pollHere(Round<T> round, String namespaceId, PollStarters.Spec<T> spec,
                                              Duration wait, boolean alone) {
        CompletableFuture<DispatchTask> poll = matching.poll(namespaceId, spec.taskQueue(), spec.kind(), wait,
                spec.poller(), alone);
        round.local = poll;
        if (round.cancelled) {
            poll.cancel(false);
        }
        poll.whenCompleteAsync((task, error) -> {
            if (poll.isCancelled() || task == null) {
                round.partDone();
                return;
            }
            if (!round.claim()) {
                if (task.isPrestarted()) {
                    startQuietly(spec, task); // started for this poll alone: only its response is dropped
                } else {
                    matching.requeue(task);
                }
                round.partDone();
                return;
            }
            round.endWaits(null);
            try {
                Optional<T> started = spec.start().apply(task);
                matching.release(task);
                round.outcome.complete(new Outcome<>(started.orElse(null), false));
            } catch (RuntimeException e) {
                // The start did not happen, or is in doubt: its row is still there, so another poll must get it
                // (a start that did happen makes this copy stale, and the next poll skips it).
                matching.requeue(task);
                round.outcome.completeExceptionally(e);
            }
        }, executor);
    }

    private static void startQuietly(PollStarters.Spec<?> spec, DispatchTask task) {
        try {
            spec.start().apply(task);
        } catch (RuntimeException e) {
            LOG.debugf("start of a task for a poll that went away failed: %s", e.getMessage());
        }
    }

    private <T extends Message> void pollThere(Round<T> round, Member node, String namespaceId,
                                               PollStarters.Spec<T> spec, Duration wait) {
        String pollId = UUID.randomUUID().toString();
        Round.Remote remote = new Round.Remote(node, pollId);
        synchronized (round.remotes) {
            round.remotes.add(remote);
        }
        byte[] arguments = PeerMessage.write().string(pollId).string(namespaceId).number(spec.kind().ordinal())
                .proto(spec.request()).number(wait.toMillis()).done();
        peers.callLater(node, "matching.poll", arguments, wait.plus(CALL_MARGIN)).whenCompleteAsync((answer, error) -> {
            String offered = error != null || answer.length == 0 ? null : PeerMessage.read(answer).string();
            if (error != null) {
                LOG.debugf("poll on node %s failed: %s", node.nodeId(), error.getMessage());
            }
            if (offered == null) {
                round.partDone();
                return;
            }
            byte[] offer = PeerMessage.write().string(offered).done();
            if (!round.claim()) {
                peers.callLater(node, "matching.decline", offer, CALL_MARGIN).exceptionally(e -> null);
                round.partDone();
                return;
            }
            round.endWaits(remote);
            peers.callLater(node, "matching.take", offer, Duration.ofSeconds(30)).whenComplete((started, failed) -> {
                if (failed != null) {
                    round.outcome.completeExceptionally(failed);
                } else if (started.length == 0) {
                    round.outcome.complete(new Outcome<>(null, false)); // stale on that node: poll again
                } else {
                    round.outcome.complete(new Outcome<>(parse(spec.empty(), started), false));
                }
            });
        }, executor);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(T empty, byte[] bytes) {
        try {
            return (T) empty.getParserForType().parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("malformed poll response from another node", e);
        }
    }

    // --- the other side: another node's poll waiting on this node's matching

    private CompletableFuture<byte[]> pollForOther(byte[] arguments) {
        PeerMessage.Reader in = PeerMessage.read(arguments);
        String pollId = in.string();
        String namespaceId = in.string();
        DispatchTask.Kind kind = DispatchTask.Kind.values()[(int) in.number()];
        PollStarters.Spec<?> spec = starters.of(kind, in.bytes());
        Duration wait = Duration.ofMillis(in.number());
        CompletableFuture<DispatchTask> poll = matching.poll(namespaceId, spec.taskQueue(), kind, wait, spec.poller(),
                false);
        waiting.put(pollId, poll);
        // Cancelled when the asking node's call goes away (that node stopped or died): the poll ends with it, and a
        // task that reached it meanwhile goes back to its queue instead of waiting for an answer that cannot come.
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        answer.whenComplete((offered, error) -> {
            if (answer.isCancelled()) {
                poll.cancel(false);
            }
        });
        poll.whenComplete((task, error) -> {
            waiting.remove(pollId);
            if (task == null) {
                answer.complete(PeerMessage.write().string(null).done());
                return;
            }
            offers.put(pollId, new Offer(task, spec));
            if (!answer.complete(PeerMessage.write().string(pollId).done())) {
                Offer unsent = offers.remove(pollId);
                if (unsent != null) {
                    matching.requeue(unsent.task());
                }
                return;
            }
            expiry.schedule(() -> {
                Offer unanswered = offers.remove(pollId);
                if (unanswered != null) {
                    matching.requeue(unanswered.task());
                }
            }, OFFER_TTL.toMillis(), TimeUnit.MILLISECONDS);
        });
        return answer;
    }

    private byte[] take(byte[] arguments) {
        Offer offer = offers.remove(PeerMessage.read(arguments).string());
        if (offer == null) {
            return new byte[0]; // expired meanwhile: queued again, so the poll goes on
        }
        try {
            Optional<? extends Message> started = offer.spec().start().apply(offer.task());
            matching.release(offer.task());
            return started.map(Message::toByteArray).orElse(new byte[0]);
        } catch (RuntimeException e) {
            matching.requeue(offer.task());
            throw e;
        }
    }
}
