package dev.aeon.dataplane.frontend;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Temporal's {@code WorkflowService} as SDK workers and clients see it on port 7233. A thin edge: each RPC
 * validates, resolves the namespace and hands over to the service that owns the behaviour. RPCs not overridden
 * here answer UNIMPLEMENTED, which SDKs report as such.
 */
@GrpcService
public class WorkflowServiceFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        response.onNext(SystemInfo.RESPONSE);
        response.onCompleted();
    }
}
