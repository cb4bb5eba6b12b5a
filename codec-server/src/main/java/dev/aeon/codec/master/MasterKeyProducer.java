package dev.aeon.codec.master;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/** Builds the {@link MasterKeyProvider} at start-up, so a missing or malformed master key stops the server at once. */
@ApplicationScoped
public class MasterKeyProducer {

    private static final Logger LOG = Logger.getLogger(MasterKeyProducer.class);

    @ConfigProperty(name = "aeon.codec.master-key")
    Optional<String> masterKey;

    @ConfigProperty(name = "aeon.codec.master-key-file")
    Optional<String> masterKeyFile;

    @ConfigProperty(name = "aeon.codec.master-key-generate", defaultValue = "false")
    boolean generate;

    @ConfigProperty(name = "aeon.codec.master-key-id", defaultValue = "local")
    String masterKeyId;

    @Produces
    @Singleton
    @Startup
    MasterKeyProvider masterKeyProvider() {
        boolean prod = LaunchMode.current() == LaunchMode.NORMAL;
        MasterKeySource.Loaded loaded = MasterKeySource.load(masterKey, masterKeyFile, generate, prod);
        if (loaded.origin().contains("generated")) {
            LOG.warnf("master key %s: %s", masterKeyId, loaded.origin());
        } else {
            LOG.infof("master key %s from %s", masterKeyId, loaded.origin());
        }
        return new LocalMasterKeyProvider(masterKeyId, loaded.key());
    }
}
