package dev.aeon.dataplane.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import dev.aeon.dataplane.persistence.cassandra.CassandraExecutionStore;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The Cassandra store with a test-only fault hook: a test arms one fault for the next commit that holds a matching
 * transition (alone or in a group), and that commit fails as the driver fails it on a timeout, either before anything
 * is written or after the write applied (a timeout the client cannot tell from a failure). Disarmed it is the real store; the engine above it
 * is the real engine.
 */
@Alternative
@Priority(1)
@Singleton
public class FaultyExecutionStore extends CassandraExecutionStore {

    /** Where the injected timeout strikes. */
    public enum Fault { BEFORE_WRITING, AFTER_APPLYING }

    private record Armed(Predicate<Transition> matches, int minGroupSize, Fault fault) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();

    public FaultyExecutionStore(CqlSession session) {
        super(session);
    }

    /** Fails the next commit that {@code matches}, once. */
    public void failNextCommit(Predicate<Transition> matches, Fault fault) {
        armed.set(new Armed(matches, 1, fault));
    }

    /** Fails the next group commit of at least {@code minGroupSize} transitions that holds a matching one, once. */
    public void failNextGroupCommit(int minGroupSize, Predicate<Transition> matches, Fault fault) {
        armed.set(new Armed(matches, minGroupSize, fault));
    }

    /** Whether the armed fault struck already. */
    public boolean struck() {
        return armed.get() == null;
    }

    public void disarm() {
        armed.set(null);
    }

    /** Strikes a group commit (and so a single commit, a group of one) that holds a matching transition. */
    @Override
    public void commitAll(java.util.List<Transition> transitions) {
        Armed fault = armed.get();
        if (fault == null || transitions.size() < fault.minGroupSize() || transitions.stream().noneMatch(fault.matches())
                || !armed.compareAndSet(fault, null)) {
            super.commitAll(transitions);
            return;
        }
        if (fault.fault() == Fault.AFTER_APPLYING) {
            super.commitAll(transitions);
        }
        lastStruckGroupSize = transitions.size();
        throw new DriverTimeoutException("injected fault: commit of " + transitions.size() + " transition(s), run "
                + transitions.get(0).runId() + " first, timed out");
    }

    private volatile int lastStruckGroupSize;

    /** How many transitions the commit the fault struck held. */
    public int lastStruckGroupSize() {
        return lastStruckGroupSize;
    }
}
