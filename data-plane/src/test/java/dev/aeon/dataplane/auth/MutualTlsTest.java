package dev.aeon.dataplane.auth;

import dev.aeon.testing.StandInControlPlane;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.auth.certs.IssuedCertificate;
import dev.aeon.dataplane.sdk.HelloActivityTest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants' workers connecting with client certificates over TLS, through the real Java SDK: a certificate from the
 * namespace's CA runs workflows there and nowhere else; no credential, another tenant's CA or a certificate outside
 * the namespace's filters is refused.
 */
@QuarkusTest
@TestProfile(TlsAuthProfile.class)
class MutualTlsTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    static final String NAMESPACE_A = "payments-" + SUFFIX + ".tenanta";
    static final String NAMESPACE_B = "orders-" + SUFFIX + ".tenantb";
    static final String FILTERED = "filtered-" + SUFFIX + ".tenanta";

    private static boolean provisioned;

    /** Per test, not @BeforeAll: REST Assured points at the test app's random port only around each test. */
    @BeforeEach
    void provision() {
        if (provisioned) {
            return;
        }
        provisioned = true;
        provision(NAMESPACE_A, "tenanta", TestPki.TENANT_A_CA, List.of());
        provision(NAMESPACE_B, "tenantb", TestPki.TENANT_B_CA, List.of());
        provision(FILTERED, "tenanta", TestPki.TENANT_A_CA, List.of(Map.of("commonName", "billing-worker")));
    }

    private static void provision(String namespace, String account, IssuedCertificate ca, List<Map<String, String>> filters) {
        Provisioning.provision(StandInControlPlane.INTERNAL_TOKEN, namespace, Map.of("accountId", account, "retentionDays", 1,
                "apiKeyAuthEnabled", false, "mtls", Map.of("enabled", true, "acceptedClientCa", ca.certificatePem(),
                        "certificateFilters", filters)));
    }

    private static WorkflowServiceStubs connect(IssuedCertificate client) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("aeon-dev", TestPki.SERVER_CA.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SimpleSslContextBuilder tls = client == null
                ? SimpleSslContextBuilder.noKeyOrCertChain()
                : SimpleSslContextBuilder.forPKCS8(stream(client.certificatePem()), stream(client.privateKeyPem()));
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("localhost:" + TestPorts.FRONTEND)
                .setSslContext(tls.setTrustManager(trust.getTrustManagers()[0]).build())
                .build());
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static Consumer<String> describe(WorkflowServiceStubs service) {
        return namespace -> service.blockingStub().describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    }

    @Test
    void aWorkerWithTheNamespacesCertificateRunsWorkflows() throws Exception {
        WorkflowServiceStubs service = connect(TestPki.TENANT_A_WORKER);
        WorkflowClient client = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE_A).build());
        WorkerFactory workers = WorkerFactory.newInstance(client);
        try {
            Worker worker = workers.newWorker("mtls");
            worker.registerWorkflowImplementationTypes(HelloActivityTest.GreetingImpl.class);
            worker.registerActivitiesImplementations(new HelloActivityTest.GreeterImpl());
            workers.start();
            HelloActivityTest.Greeting greeting = client.newWorkflowStub(HelloActivityTest.Greeting.class,
                    WorkflowOptions.newBuilder().setTaskQueue("mtls").setWorkflowId("mtls-" + SUFFIX).build());
            assertEquals("Hello, Tenant A!", greeting.greet("Tenant A"));
        } finally {
            workers.shutdownNow();
            service.shutdownNow();
        }
    }

    @Test
    void aCertificateGivesNothingOnAnotherTenantsNamespace() throws Exception {
        WorkflowServiceStubs tenantA = connect(TestPki.TENANT_A_WORKER);
        WorkflowServiceStubs tenantB = connect(TestPki.TENANT_B_WORKER);
        try {
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> describe(tenantA).accept(NAMESPACE_B)));
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> describe(tenantB).accept(NAMESPACE_A)));
            // an expired certificate from the right CA is no better
            WorkflowServiceStubs expired = connect(TestPki.TENANT_A_EXPIRED);
            try {
                assertEquals(Status.Code.UNAUTHENTICATED, code(() -> describe(expired).accept(NAMESPACE_A)));
            } finally {
                expired.shutdownNow();
            }
            // and a namespace that does not exist looks exactly the same
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> describe(tenantA).accept("nope-" + SUFFIX + ".tenanta")));
            describe(tenantB).accept(NAMESPACE_B);
            // listing needs the namespace the certificate is for, and shows only that one
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> tenantB.blockingStub()
                    .listNamespaces(ListNamespacesRequest.getDefaultInstance())));
            Metadata header = new Metadata();
            header.put(Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER), NAMESPACE_B);
            assertEquals(List.of(NAMESPACE_B), tenantB.blockingStub()
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                    .listNamespaces(ListNamespacesRequest.getDefaultInstance()).getNamespacesList().stream()
                    .map(ns -> ns.getNamespaceInfo().getName()).toList());
        } finally {
            tenantA.shutdownNow();
            tenantB.shutdownNow();
        }
    }

    @Test
    void withoutACredentialOnlyTheServersCapabilitiesAreVisible() throws Exception {
        WorkflowServiceStubs anonymous = connect(null);
        try {
            assertTrue(anonymous.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
                    .getCapabilities().getSdkMetadata());
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> describe(anonymous).accept(NAMESPACE_A));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("no credentials"));
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> anonymous.blockingStub()
                    .listNamespaces(ListNamespacesRequest.getDefaultInstance())));
        } finally {
            anonymous.shutdownNow();
        }
    }

    @Test
    void aCertificateOutsideTheNamespacesFiltersIsRefused() throws Exception {
        WorkflowServiceStubs tenantA = connect(TestPki.TENANT_A_WORKER);
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> describe(tenantA).accept(FILTERED));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            describe(tenantA).accept(NAMESPACE_A);
        } finally {
            tenantA.shutdownNow();
        }
    }

    @Test
    void namespacesAreNotRegisteredOverTheDataPlane() throws Exception {
        WorkflowServiceStubs tenantA = connect(TestPki.TENANT_A_WORKER);
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> tenantA.blockingStub()
                    .registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace("x-" + SUFFIX + ".tenanta")
                            .build()));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("control plane"));
        } finally {
            tenantA.shutdownNow();
        }
    }
}
