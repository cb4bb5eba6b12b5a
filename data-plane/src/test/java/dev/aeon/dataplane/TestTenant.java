package dev.aeon.dataplane;

import dev.aeon.auth.InternalToken;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.testing.StandInControlPlaneResource;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tenant the data plane's tests act as, with authentication on as in production: its namespaces are
 * provisioned through the internal API the control plane uses (never RegisterNamespace, which production refuses),
 * and it calls with an API key of its account's OWNER, signed by the control plane stand-in.
 */
public final class TestTenant {

    public static final String ACCOUNT = "tests";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Owner keys by account, valid with the stand-in that signed them: each Quarkus restart brings a new one. */
    private static final java.util.Map<String, String> OWNER_KEYS = new java.util.HashMap<>();
    private static StandInControlPlane signedBy;

    private TestTenant() {
    }

    /** The id of the test account's namespace {@code name}: {@code <name>.tests}. */
    public static String namespace(String name) {
        return name + "." + ACCOUNT;
    }

    /** The test account owner's API key (ADMIN on every namespace of the account). */
    public static String apiKey() {
        return ownerKey(ACCOUNT);
    }

    /** The API key of {@code account}'s owner, made once per control plane stand-in. */
    public static synchronized String ownerKey(String account) {
        if (signedBy != StandInControlPlaneResource.controlPlane()) {
            signedBy = StandInControlPlaneResource.controlPlane();
            OWNER_KEYS.clear();
        }
        return OWNER_KEYS.computeIfAbsent(account, a -> {
            String keyId = "k-" + a + "-owner";
            Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
            signedBy.putAccess(keyId, ownerAccess(keyId, a, expires));
            return StandInControlPlaneResource.sign(keyId, a, expires);
        });
    }

    /** {@code stub} calling with the API key of {@code account}'s owner. */
    public static <S extends io.grpc.stub.AbstractStub<S>> S asOwnerOf(String account, S stub) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + ownerKey(account));
        return stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** What the control plane answers for the access of the account owner's key {@code keyId}. */
    public static String ownerAccess(String keyId, Instant expires) {
        return ownerAccess(keyId, ACCOUNT, expires);
    }

    private static String ownerAccess(String keyId, String account, Instant expires) {
        return """
                {"keyId":"%s","accountId":"%s","ownerId":"u-owner","ownerType":"user","enabled":true,
                 "expiresAt":"%s","accountRole":"OWNER","namespacePermissions":{}}""".formatted(keyId, account, expires);
    }

    /**
     * Creates the namespace on the data plane serving HTTP at {@code dataPlaneHttp}, as the control plane
     * provisions it (API keys on, one day of retention); provisioning again changes nothing.
     */
    public static void provision(URI dataPlaneHttp, String namespace) {
        provision(dataPlaneHttp, namespace, java.util.Map.of());
    }

    /** Like {@link #provision(URI, String)}, with custom search attributes by name and Temporal type name. */
    public static void provision(URI dataPlaneHttp, String namespace, java.util.Map<String, String> searchAttributes) {
        provision(dataPlaneHttp, namespace, searchAttributes, java.util.Map.of(), java.util.Map.of());
    }

    /**
     * Like {@link #provision(URI, String, java.util.Map)}, with the fields the control plane assigned to the custom
     * search attributes (by name; a rename keeps the field and changes the name) and the names they had before
     * renames.
     */
    public static void provision(URI dataPlaneHttp, String namespace, java.util.Map<String, String> searchAttributes,
                                 java.util.Map<String, String> searchAttributeFields,
                                 java.util.Map<String, String> formerSearchAttributeNames) {
        String settings = """
                {"accountId":"%s","retentionDays":1,"apiKeyAuthEnabled":true,"searchAttributes":%s,\
                "searchAttributeFields":%s,"formerSearchAttributeNames":%s}"""
                .formatted(ACCOUNT, json(searchAttributes), json(searchAttributeFields),
                        json(formerSearchAttributeNames));
        putInternal(dataPlaneHttp, "/internal/v1/namespaces/" + namespace, settings);
    }

    /**
     * Provisions a Nexus endpoint of the test account on the data plane serving HTTP at {@code dataPlaneHttp}, as the
     * control plane does ({@code PUT /internal/v1/nexus-endpoints/{id}}).
     */
    public static void provisionNexusEndpoint(URI dataPlaneHttp, String id, String name, String targetNamespace,
                                              String targetTaskQueue, java.util.List<String> allowedCallers) {
        String spec = """
                {"accountId":"%s","name":"%s","targetNamespace":"%s","targetTaskQueue":"%s",\
                "allowedCallerNamespaces":[%s]}""".formatted(ACCOUNT, name, targetNamespace, targetTaskQueue,
                String.join(",", allowedCallers.stream().map(ns -> "\"" + ns + "\"").toList()));
        putInternal(dataPlaneHttp, "/internal/v1/nexus-endpoints/" + id, spec);
    }

    /** PUTs {@code json} to the data plane's internal API as the control plane does; anything but 200 fails. */
    private static void putInternal(URI dataPlaneHttp, String path, String json) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(dataPlaneHttp.resolve(path))
                    .header(InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("provisioning " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #provisionNexusEndpoint(URI, String, String, String, String, java.util.List)} here. */
    public static void provisionNexusEndpoint(String id, String name, String targetNamespace, String targetTaskQueue,
                                              java.util.List<String> allowedCallers) {
        provisionNexusEndpoint(URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getUri()), id, name,
                targetNamespace, targetTaskQueue, allowedCallers);
    }

    /** Provisions on the data plane this test JVM's Quarkus test runs. */
    public static void provision(String namespace) {
        provision(namespace, java.util.Map.of());
    }

    /** Provisions on the data plane this test JVM's Quarkus test runs, with these custom search attributes. */
    public static void provision(String namespace, java.util.Map<String, String> searchAttributes) {
        provision(URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getUri()), namespace,
                searchAttributes);
    }

    /** Provisions here, with these custom search attributes, their fields and the names they had before renames. */
    public static void provision(String namespace, java.util.Map<String, String> searchAttributes,
                                 java.util.Map<String, String> searchAttributeFields,
                                 java.util.Map<String, String> formerSearchAttributeNames) {
        provision(URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getUri()), namespace,
                searchAttributes, searchAttributeFields, formerSearchAttributeNames);
    }

    private static String json(java.util.Map<String, String> map) {
        return map.entrySet().stream()
                .map(entry -> "\"%s\":\"%s\"".formatted(entry.getKey(), entry.getValue()))
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }

    /** A connection to {@code target} with the owner's API key, plaintext as in dev. */
    public static WorkflowServiceStubs connect(String target) {
        return connect(target, apiKey());
    }

    /** A connection to {@code target} with {@code key}, plaintext as in dev. */
    public static WorkflowServiceStubs connect(String target, String key) {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target).addApiKey(() -> key).setEnableHttps(false).build());
    }
}
