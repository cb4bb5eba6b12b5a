package dev.aeon.dataplane.history.engine;

import io.temporal.api.history.v1.HistoryEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HistoryCacheTest {

    private static List<HistoryEvent> events(long from, long toInclusive) {
        return LongStream.rangeClosed(from, toInclusive)
                .mapToObj(id -> HistoryEvent.newBuilder().setEventId(id).build()).toList();
    }

    private static List<Long> ids(List<HistoryEvent> events) {
        return events.stream().map(HistoryEvent::getEventId).toList();
    }

    @Test
    void commitsThatFollowEachOtherExtendTheRunsTail() {
        HistoryCache cache = new HistoryCache(10, 100);
        cache.committed("run", events(1, 3));
        cache.committed("run", events(4, 6));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ids(cache.read("run", 1, 7)));
        assertEquals(List.of(5L, 6L), ids(cache.read("run", 5, 7)));
        assertNull(cache.read("run", 5, 8), "event 7 is not committed yet");
    }

    @Test
    void aGapStartsTheTailAgainAndEarlierEventsGoToTheStore() {
        HistoryCache cache = new HistoryCache(10, 100);
        cache.committed("run", events(1, 3));
        cache.committed("run", events(7, 8)); // a commit in doubt between them was never cached
        assertNull(cache.read("run", 1, 3));
        assertEquals(List.of(7L, 8L), ids(cache.read("run", 7, 9)));
    }

    @Test
    void boundedInEventsPerRunAndInRuns() {
        HistoryCache cache = new HistoryCache(2, 4);
        cache.committed("a", events(1, 6));
        assertNull(cache.read("a", 1, 7));
        assertEquals(List.of(3L, 4L, 5L, 6L), ids(cache.read("a", 3, 7)));

        cache.committed("b", events(1, 1));
        cache.read("a", 3, 4); // a used more recently than b
        cache.committed("c", events(1, 1));
        assertNull(cache.read("b", 1, 2), "the least recently used run went first");
        assertEquals(List.of(3L), ids(cache.read("a", 3, 4)));
    }

    @Test
    void anEmptyOrInvertedRangeIsEmpty() {
        HistoryCache cache = new HistoryCache(10, 100);
        cache.committed("run", events(1, 3));
        assertEquals(List.of(), cache.read("run", 3, 3));
        assertEquals(List.of(), cache.read("run", 4_294_967_297L, 2)); // a page token's id, far past the int range
    }

    @Test
    void aForgottenRunIsReadFromTheStore() {
        HistoryCache cache = new HistoryCache(10, 100);
        cache.committed("run", events(1, 2));
        cache.forget("run");
        assertNull(cache.read("run", 1, 3));
    }
}
