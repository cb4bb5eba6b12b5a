package dev.aeon.dataplane.history.engine;

import io.temporal.api.history.v1.HistoryEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest committed events of recently active runs, so a worker's poll (a sticky worker's new events, or a
 * short run's whole history), a query or a result long poll reads them from memory instead of Cassandra. Only
 * committed events enter (after the commit that wrote them); a run whose commit is in doubt, or that is deleted,
 * is dropped. Committed events never change, so any cached range is valid for any reader. Bounded twice: the
 * runs kept (least recently used go first) and the events kept per run (the oldest go first; a read that starts
 * before the kept tail goes to the store).
 */
final class HistoryCache {

    /** A run's newest events, contiguous from {@code firstEventId}. Never changed once made. */
    private record Tail(long firstEventId, List<HistoryEvent> events) {
        long endEventId() {
            return firstEventId + events.size();
        }
    }

    private final int maxRuns;
    private final int maxEventsPerRun;
    private final Map<String, Tail> tails;

    HistoryCache(int maxRuns, int maxEventsPerRun) {
        this.maxRuns = maxRuns;
        this.maxEventsPerRun = maxEventsPerRun;
        this.tails = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tail> eldest) {
                return size() > HistoryCache.this.maxRuns;
            }
        };
    }

    /** After a commit: {@code events} (ascending, contiguous) are the run's newest committed events. */
    void committed(String runId, List<HistoryEvent> events) {
        if (events.isEmpty() || maxRuns == 0) {
            return;
        }
        long first = events.get(0).getEventId();
        synchronized (tails) {
            Tail tail = tails.get(runId);
            List<HistoryEvent> kept = new ArrayList<>();
            long keptFrom = first;
            if (tail != null && tail.endEventId() == first) {
                kept.addAll(tail.events());
                keptFrom = tail.firstEventId();
            }
            kept.addAll(events);
            int drop = Math.max(0, kept.size() - maxEventsPerRun);
            tails.put(runId, new Tail(keptFrom + drop, List.copyOf(kept.subList(drop, kept.size()))));
        }
    }

    /** The run's events in [from, to) if all of them are here, else null. */
    List<HistoryEvent> read(String runId, long fromEventId, long toEventIdExclusive) {
        if (fromEventId >= toEventIdExclusive) {
            return List.of(); // as the store answers an empty range (a page token past the end, say)
        }
        Tail tail;
        synchronized (tails) {
            tail = tails.get(runId);
        }
        if (tail == null || fromEventId < tail.firstEventId() || toEventIdExclusive > tail.endEventId()) {
            return null;
        }
        return tail.events().subList((int) (fromEventId - tail.firstEventId()),
                (int) (toEventIdExclusive - tail.firstEventId()));
    }

    /** What is cached of the run can no longer be trusted (a commit in doubt) or is gone (deleted). */
    void forget(String runId) {
        synchronized (tails) {
            tails.remove(runId);
        }
    }
}
