package dev.aeon.dataplane.auth;

import dev.aeon.auth.AuthException;
import dev.aeon.auth.Authorizer;
import dev.aeon.auth.NamespaceNames;
import dev.aeon.auth.Principal;
import dev.aeon.auth.apikey.ApiKeyAuthenticator;
import dev.aeon.auth.mtls.ClientCertificateVerifier;
import dev.aeon.auth.mtls.NamespaceAuthSettings;
import dev.aeon.auth.rpc.RpcPermissions;
import dev.aeon.auth.rpc.RpcRule;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Decides whether a call may proceed: authenticates the caller's API key (against the control plane's signing keys
 * and its current access) or client certificate (against the namespace's accepted CAs and filters), then checks
 * the permission the RPC needs on the namespace ({@link RpcPermissions}: WorkflowService and OperatorService). Refusals are
 * UNAUTHENTICATED (no or bad credential), PERMISSION_DENIED (valid identity, not allowed) or NOT_FOUND for a
 * namespace of another account, which is answered exactly as a namespace that does not exist.
 */
@ApplicationScoped
public class CallAuthorizer {

    private static final Logger LOG = Logger.getLogger(CallAuthorizer.class);

    private final boolean enabled;
    private final NamespaceRegistry namespaces;
    private final Executor executor;
    private final ApiKeyAuthenticator apiKeys;
    private final ClientCertificateVerifier certificates = new ClientCertificateVerifier();

    public CallAuthorizer(@ConfigProperty(name = "aeon.auth.enabled", defaultValue = "true") boolean enabled,
                          @ConfigProperty(name = "aeon.auth.control-plane-url", defaultValue = "http://127.0.0.1:7240")
                          URI controlPlane,
                          @ConfigProperty(name = "aeon.auth.issuer", defaultValue = "https://aeon.local/control-plane")
                          String issuer,
                          @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken,
                          NamespaceRegistry namespaces, HistoryEngine engine) {
        this.enabled = enabled;
        this.namespaces = namespaces;
        this.executor = engine.executor();
        this.apiKeys = ApiKeyAuthenticator.builder(controlPlane, internalToken.orElse("")).issuer(issuer).build();
        if (enabled && internalToken.isEmpty()) {
            LOG.warn("aeon.auth.enabled is true but aeon.internal.token is not set: API keys cannot be checked");
        }
        if (!enabled) {
            LOG.warn("aeon.auth.enabled=false: every caller may use every namespace (tests and local experiments only)");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Completes with the caller, or exceptionally with the gRPC status to answer.
     *
     * @param fullMethodName the gRPC method, {@code service/Method}: WorkflowService and OperatorService share the port
     */
    public CompletableFuture<Principal> authorize(String fullMethodName, String namespace, Credentials credentials) {
        RpcRule rule = RpcPermissions.forFullMethodName(fullMethodName);
        String method = rule.method();
        switch (rule.scope()) {
            case PUBLIC:
                return CompletableFuture.completedFuture(null);
            case DENIED:
                return failed(Status.PERMISSION_DENIED.withDescription(method + " is not available on Aeon's data "
                        + "plane: namespaces and other account resources are managed through the control plane "
                        + "(Cloud Ops API)"));
            default:
                break;
        }
        if (credentials.none()) {
            return failed(Status.UNAUTHENTICATED.withDescription("no credentials: send an API key as "
                    + "'authorization: Bearer <key>' or connect over TLS with a client certificate"));
        }
        boolean withKey = credentials.apiKey() != null || credentials.malformedAuthorization();
        if (rule.scope() == RpcRule.Scope.ACCOUNT && namespace.isEmpty()) {
            if (!withKey) {
                return failed(Status.UNAUTHENTICATED.withDescription(method + " with a client certificate needs "
                        + "the temporal-namespace header naming the namespace the certificate is for"));
            }
            return authenticateKey(credentials).exceptionallyCompose(CallAuthorizer::asStatus);
        }
        if (namespace.isEmpty()) {
            return failed(Status.INVALID_ARGUMENT.withDescription("namespace is not set on request."));
        }
        // The namespace is almost always cached: then everything runs here, without a hop to the engine's threads.
        Executor lookup = namespaces.cached(namespace).isPresent() ? Runnable::run : executor;
        CompletableFuture<Principal> caller = withKey
                ? authenticateKey(credentials).thenApplyAsync(principal -> keyOnNamespace(principal, namespace), lookup)
                : CompletableFuture.supplyAsync(() -> certificateOnNamespace(credentials, namespace), lookup);
        return caller.thenApply(principal -> {
                    if (rule.scope() == RpcRule.Scope.NAMESPACE) {
                        Authorizer.require(principal, namespace, rule.permission(), method);
                    }
                    return principal;
                })
                .exceptionallyCompose(CallAuthorizer::asStatus);
    }

    /**
     * An API key's account is checked before the namespace is even looked up, so a key learns nothing about other
     * tenants' namespaces: theirs and missing ones are the same NOT_FOUND.
     */
    private Principal keyOnNamespace(Principal principal, String namespace) {
        if (!NamespaceNames.belongsTo(namespace, principal.accountId())) {
            throw Authorizer.namespaceNotFound(namespace);
        }
        Namespace target = namespaces.namespace(namespace);
        if (target.provisioned() && !target.settings().apiKeyAuthEnabled()) {
            throw new AuthException(AuthException.Kind.PERMISSION_DENIED, "namespace " + namespace
                    + " does not accept API keys (api_key_auth is disabled); connect with a client certificate");
        }
        return principal;
    }

    /** A certificate proves nothing about a namespace that is missing or not a tenant's: both are refused alike. */
    private Principal certificateOnNamespace(Credentials credentials, String namespace) {
        Namespace target;
        try {
            target = namespaces.namespace(namespace);
        } catch (StatusRuntimeException notFound) {
            target = null;
        }
        if (target == null || !target.provisioned()) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "the client certificate "
                    + credentials.clientChain()[0].getSubjectX500Principal() + " is not accepted for namespace "
                    + namespace);
        }
        NamespaceAuthSettings settings = new NamespaceAuthSettings(target.settings().accountId(),
                target.settings().apiKeyAuthEnabled(), target.settings().mtls());
        return certificates.verify(credentials.clientChain(), namespace, settings);
    }

    private CompletableFuture<Principal> authenticateKey(Credentials credentials) {
        if (credentials.malformedAuthorization()) {
            return CompletableFuture.failedFuture(new AuthException(AuthException.Kind.UNAUTHENTICATED,
                    "the authorization header must be 'Bearer <api key>'"));
        }
        return apiKeys.authenticateAsync(credentials.apiKey()).thenApply(principal -> principal);
    }

    private static <T> CompletableFuture<T> asStatus(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof AuthException refused) {
            Status status = switch (refused.kind()) {
                case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
                case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
                case NAMESPACE_NOT_FOUND -> Status.NOT_FOUND;
                case UNAVAILABLE -> Status.UNAVAILABLE;
            };
            return failed(status.withDescription(refused.getMessage()));
        }
        return CompletableFuture.failedFuture(cause);
    }

    private static <T> CompletableFuture<T> failed(Status status) {
        return CompletableFuture.failedFuture(status.asRuntimeException());
    }
}
