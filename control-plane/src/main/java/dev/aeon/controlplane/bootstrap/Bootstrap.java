package dev.aeon.controlplane.bootstrap;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.NamespaceNames;
import dev.aeon.auth.SecretFiles;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.identity.ApiKeyService;
import dev.aeon.controlplane.identity.UserService;
import dev.aeon.controlplane.namespace.NamespaceService;
import dev.aeon.controlplane.store.DuplicateKeyException;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.namespace.v1.ApiKeyAuthSpec;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The first account, without an API to call yet: with {@code aeon.control-plane.bootstrap.account-id} set and that
 * account missing, creates it, an OWNER user and an API key whose token goes to
 * {@code aeon.control-plane.bootstrap.api-key-file} (written only then; the token is never logged). With
 * {@code aeon.control-plane.bootstrap.namespace} set, that namespace is created for the
 * account if missing, API-key auth on, provisioned on the data plane like any other.
 * <p>
 * Every control-plane replica runs it at start, possibly at the same moment: the replica whose insert of the account
 * wins creates its OWNER and API key (and writes the key file); the others find the account there and go on. The
 * namespace is created under one async operation id, so replicas racing on it create it once.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    ResourceStore store;
    @Inject
    UserService users;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    NamespaceService namespaces;

    @ConfigProperty(name = "aeon.control-plane.bootstrap.account-id")
    Optional<String> accountId;
    @ConfigProperty(name = "aeon.control-plane.bootstrap.owner-email", defaultValue = "owner@aeon.local")
    String ownerEmail;
    @ConfigProperty(name = "aeon.control-plane.bootstrap.api-key-file")
    Optional<Path> apiKeyFile;
    @ConfigProperty(name = "aeon.control-plane.bootstrap.api-key-lifetime", defaultValue = "730d")
    Duration apiKeyLifetime;
    @ConfigProperty(name = "aeon.control-plane.bootstrap.namespace")
    Optional<String> namespace;
    @ConfigProperty(name = "aeon.control-plane.bootstrap.namespace-retention-days", defaultValue = "7")
    int retentionDays;

    void onStart(@Observes StartupEvent start) {
        if (accountId.isEmpty() || accountId.get().isBlank()) {
            return;
        }
        bootstrap(accountId.get(), ownerEmail, apiKeyFile, namespace.filter(n -> !n.isBlank()));
    }

    /**
     * Creates what is missing of the account (with its OWNER and an API key written to {@code keyFile}) and of the
     * namespace {@code namespaceName}; safe to run from several replicas at once.
     */
    public void bootstrap(String account, String email, Optional<Path> keyFile, Optional<String> namespaceName) {
        if (!store.accountExists(account)) {
            try {
                createAccount(account, email, keyFile);
            } catch (DuplicateKeyException e) {
                if (!"account_pkey".equals(e.constraint())) {
                    throw e;
                }
                LOG.infof("bootstrap: account %s was created by another replica at the same time", account);
            }
        }
        namespaceName.ifPresent(name -> createNamespace(account, name));
    }

    /** Creates an account with its OWNER and an API key; returns the key's token (also written to {@code keyFile}). */
    public String createAccount(String account, String email, Optional<Path> keyFile) {
        String invalid = NamespaceNames.invalidAccountId(account);
        if (invalid != null) {
            throw new IllegalArgumentException("aeon.control-plane.bootstrap.account-id: " + invalid + "; was \""
                    + account + "\"");
        }
        store.createAccount(account, account);
        String ownerId = users.createOwner(account, email);
        String token = apiKeys.createForOwner(account, ownerId, "bootstrap owner key", Instant.now().plus(apiKeyLifetime));
        keyFile.ifPresent(file -> write(file, token));
        LOG.infof("bootstrap: created account %s with owner %s (%s)%s", account, ownerId, email,
                keyFile.map(f -> "; its API key is in " + f).orElse(""));
        return token;
    }

    private void createNamespace(String account, String name) {
        String id = name + "." + account;
        if (store.find(NamespaceRow.class, account, id).isPresent()) {
            return;
        }
        ApiKeyPrincipal system = ApiKeyPrincipal.accountOwner(account, "bootstrap");
        try {
            namespaces.create(system, CreateNamespaceRequest.newBuilder()
                    .setSpec(NamespaceSpec.newBuilder().setName(name).setRetentionDays(retentionDays)
                            .setApiKeyAuth(ApiKeyAuthSpec.newBuilder().setEnabled(true)))
                    .setAsyncOperationId("bootstrap-namespace-" + id)
                    .build());
            LOG.infof("bootstrap: namespace %s is being provisioned", id);
        } catch (DuplicateKeyException e) {
            if (store.find(NamespaceRow.class, account, id).isEmpty()) {
                LOG.errorf("bootstrap: namespace %s not created: %s", id, e.getMessage());
            } // else another replica created it at the same time
        } catch (CloudApiException e) {
            LOG.errorf("bootstrap: namespace %s not created: %s", id, e.getMessage());
        }
    }

    private static void write(Path file, String token) {
        try {
            SecretFiles.write(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap API key to " + file, e);
        }
    }
}
