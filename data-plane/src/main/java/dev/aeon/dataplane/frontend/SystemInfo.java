package dev.aeon.dataplane.frontend;

import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;

/**
 * What SDKs learn about the server before anything else. They switch behaviour on these capabilities, so each
 * flag is set only for behaviour Aeon implements the way Temporal does.
 */
final class SystemInfo {

    /** The Temporal server release whose API behaviour Aeon matches; SDKs compare it with their supported range. */
    static final String TEMPORAL_SERVER_VERSION = "1.29.0";

    static final GetSystemInfoResponse RESPONSE = GetSystemInfoResponse.newBuilder()
            .setServerVersion(TEMPORAL_SERVER_VERSION)
            .setCapabilities(GetSystemInfoResponse.Capabilities.newBuilder()
                    .setSignalAndQueryHeader(true)
                    .setInternalErrorDifferentiation(true)
                    .setActivityFailureIncludeHeartbeat(true)
                    .setEncodedFailureAttributes(true)
                    .setUpsertMemo(true)
                    .setSdkMetadata(true)
                    .setEagerWorkflowStart(false)
                    .setSupportsSchedules(true)
                    .setBuildIdBasedVersioning(false)
                    .setCountGroupByExecutionStatus(true)
                    .setNexus(true))
            .build();

    private SystemInfo() {
    }
}
