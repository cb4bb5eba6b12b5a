package dev.aeon.dataplane.matching;

import com.google.protobuf.Timestamp;
import io.temporal.api.taskqueue.v1.PollerInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers that polled one task queue lately, by identity, as Temporal's matching keeps them: a poll is
 * recorded when it starts and again when it ends, and a worker is listed for {@link #TTL_MILLIS} after its last
 * poll. Bounded like Temporal's poller cache: past {@link #MAX_POLLERS} identities the least recent one goes.
 * Not thread-safe: its task queue guards it.
 */
final class PollerHistory {

    /** Temporal's {@code matching.PollerHistoryTTL}. */
    static final long TTL_MILLIS = 5 * 60 * 1000;
    /** Temporal's {@code pollerHistoryInitMaxSize}. */
    static final int MAX_POLLERS = 1000;

    private record Seen(Poller poller, long atMillis) {
    }

    private final Map<String, Seen> byIdentity = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_POLLERS;
        }
    };

    void record(Poller poller, long nowMillis) {
        if (poller.listed()) {
            byIdentity.remove(poller.info().getIdentity()); // re-inserted last: the map's order is recency
            byIdentity.put(poller.info().getIdentity(), new Seen(poller, nowMillis));
        }
    }

    /** Workers seen within the TTL, least recent first. */
    List<PollerInfo> recent(long nowMillis) {
        forgetExpired(nowMillis);
        List<PollerInfo> recent = new ArrayList<>(byIdentity.size());
        for (Seen seen : byIdentity.values()) {
            recent.add(seen.poller().info().toBuilder().setLastAccessTime(Timestamp.newBuilder()
                    .setSeconds(Math.floorDiv(seen.atMillis(), 1000))
                    .setNanos((int) Math.floorMod(seen.atMillis(), 1000) * 1_000_000)).build());
        }
        return recent;
    }

    /** Whether any worker polled with a sticky queue kind: the queue is a worker's sticky queue. */
    boolean sticky() {
        return byIdentity.values().stream().anyMatch(seen -> seen.poller().sticky());
    }

    void forgetExpired(long nowMillis) {
        byIdentity.values().removeIf(seen -> nowMillis - seen.atMillis() >= TTL_MILLIS);
    }

    boolean isEmpty() {
        return byIdentity.isEmpty();
    }
}
