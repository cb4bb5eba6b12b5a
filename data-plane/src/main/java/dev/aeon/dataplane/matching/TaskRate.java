package dev.aeon.dataplane.matching;

/**
 * Tasks per second over the last 30 seconds, counted in 5-second buckets, as Temporal's matching reports
 * {@code tasks_add_rate} and {@code tasks_dispatch_rate} (a queue younger than the window divides by its age).
 * Not thread-safe: its task queue guards it.
 */
final class TaskRate {

    private static final long BUCKET_MILLIS = 5_000;
    private static final long WINDOW_MILLIS = 30_000;

    private final long[] buckets = new long[(int) (WINDOW_MILLIS / BUCKET_MILLIS) + 1];
    private final long startMillis;
    private long bucketStartMillis;
    private int current;

    TaskRate(long nowMillis) {
        this.startMillis = nowMillis;
        this.bucketStartMillis = nowMillis;
    }

    void count(long nowMillis) {
        advance(nowMillis);
        buckets[current]++;
    }

    float perSecond(long nowMillis) {
        advance(nowMillis);
        long total = 0;
        for (long count : buckets) {
            total += count;
        }
        long elapsed = Math.min(nowMillis - bucketStartMillis + WINDOW_MILLIS, nowMillis - startMillis);
        return elapsed <= 0 ? 0 : total * 1000f / elapsed;
    }

    private void advance(long nowMillis) {
        long elapsedBuckets = (nowMillis - bucketStartMillis) / BUCKET_MILLIS;
        for (long i = 0; i < Math.min(elapsedBuckets, buckets.length); i++) {
            current = (current + 1) % buckets.length;
            buckets[current] = 0;
        }
        bucketStartMillis += elapsedBuckets * BUCKET_MILLIS;
    }
}
