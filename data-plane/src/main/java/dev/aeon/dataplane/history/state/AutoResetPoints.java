package dev.aeon.dataplane.history.state;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.workflow.v1.ResetPointInfo;
import io.temporal.api.workflow.v1.ResetPoints;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporal's auto-reset points: the first workflow task each worker build (binary checksum, build id) completed in
 * a run, where an operator can reset the workflow to when a bad deployment is rolled back. Describe shows them, and
 * a run that follows another (continue-as-new, retry, cron) starts with the previous run's points
 * ({@code prev_auto_reset_points}), which expire with that run's retention.
 */
public final class AutoResetPoints {

    /** Temporal's default {@code history.maxAutoResetPoints}. */
    static final int MAX_POINTS = 20;

    private AutoResetPoints() {
    }

    /** The run's points, or null when it has none. */
    public static ResetPoints of(ExecutionState state) {
        return StoredProtos.parse(state.autoResetPoints(), ResetPoints.parser());
    }

    /** Records a point for a build's first completed workflow task in the run; later ones of the same build add none. */
    public static void onCompletion(ExecutionState state, String binaryChecksum, String buildId, long completedEventId,
                             long now) {
        ResetPoints current = of(state);
        List<ResetPointInfo> points = new ArrayList<>(current == null ? List.of() : current.getPointsList());
        if (points.stream().anyMatch(p -> p.getBinaryChecksum().equals(binaryChecksum) && p.getBuildId().equals(buildId))) {
            return;
        }
        points.add(ResetPointInfo.newBuilder()
                .setBinaryChecksum(binaryChecksum)
                .setBuildId(buildId)
                .setRunId(state.runId())
                .setFirstWorkflowTaskCompletedId(completedEventId)
                .setCreateTime(Timestamps.fromMillis(now))
                // Temporal's CheckResettable: a reset cannot rebuild requests still out to other workflows.
                .setResettable(state.children().isEmpty() && state.externalRequests().isEmpty())
                .build());
        List<ResetPointInfo> kept = points.subList(Math.max(0, points.size() - MAX_POINTS), points.size());
        state.replaceAutoResetPoints(ResetPoints.newBuilder().addAllPoints(kept).build().toByteArray());
    }

    /**
     * The points a successor of {@code previous} starts with: those not expired, the previous run's own expiring
     * with its retention from now (its close).
     */
    public static void carryOver(ExecutionState previous, ExecutionState next, long now, long retentionMillis) {
        ResetPoints points = of(previous);
        if (points == null) {
            return;
        }
        ResetPoints.Builder carried = ResetPoints.newBuilder();
        for (ResetPointInfo point : points.getPointsList()) {
            if (point.hasExpireTime() && Timestamps.toMillis(point.getExpireTime()) < now) {
                continue;
            }
            carried.addPoints(point.getRunId().equals(previous.runId())
                    ? point.toBuilder().setExpireTime(Timestamps.fromMillis(now + retentionMillis)).build() : point);
        }
        next.replaceAutoResetPoints(carried.build().toByteArray());
    }
}
