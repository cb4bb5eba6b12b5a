package dev.aeon.dataplane.schedule.spec;

import java.time.Instant;

/**
 * One time a schedule acts at: {@code nominal} is the time its spec matches (the one a workflow id and
 * {@code TemporalScheduledStartTime} carry), {@code actual} that time plus the schedule's jitter.
 */
public record ScheduledTime(Instant nominal, Instant actual) {
}
