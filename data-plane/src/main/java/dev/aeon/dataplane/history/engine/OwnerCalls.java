package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.cluster.PeerService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work on a workflow that only the node owning its shard may do, asked for by another node: a lifecycle serves an
 * operation here ({@link #serve}, its local half) and calls it through {@link #onOwner}, which answers empty when
 * this node is the owner (do it here) and otherwise the owner's answer. The served half never forwards again: if the
 * shard moved meanwhile it fails UNAVAILABLE and the caller's retry finds the new owner.
 */
@ApplicationScoped
public class OwnerCalls {

    private final HistoryEngine engine;
    private final PeerService peers;

    public OwnerCalls(HistoryEngine engine, PeerService peers) {
        this.engine = engine;
        this.peers = peers;
    }

    /** Serves operation {@code name} on the engine's threads: {@code work} reads its arguments, answers bytes. */
    public void serve(String name, Function<PeerMessage.Reader, byte[]> work) {
        peers.handle(name, arguments -> work.apply(PeerMessage.read(arguments)), engine.executor());
    }

    /**
     * Empty when this node owns the workflow's shard; else runs operation {@code name} with {@code arguments} on the
     * node that does and returns its answer.
     */
    public Optional<PeerMessage.Reader> onOwner(String namespaceId, String workflowId, String name,
                                                Supplier<byte[]> arguments) {
        Optional<Member> owner = engine.remoteOwner(namespaceId, workflowId);
        if (owner.isEmpty() || !engine.shardsSpread()) {
            return Optional.empty();
        }
        return Optional.of(PeerMessage.read(peers.call(owner.get(), name, arguments.get())));
    }
}
