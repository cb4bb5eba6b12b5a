package dev.aeon.dataplane.visibility;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Where visibility records live: {@code aeon.data-plane.visibility.*}. */
@ConfigMapping(prefix = "aeon.data-plane.visibility")
public interface VisibilityConfig {

    /** Off until the engine writes records and the RPCs read them; the store then answers UNIMPLEMENTED. */
    @WithDefault("false")
    boolean enabled();

    Postgres postgres();

    /**
     * Base64 of at least 32 random bytes signing page tokens. Nodes serving the same namespaces must share it;
     * without it each process makes its own, and tokens do not survive a restart or a hop to another node.
     */
    Optional<String> pageTokenKey();

    interface Postgres {

        /** The PostgreSQL Aeon already runs ({@code aeon.postgres.*}) unless set. */
        @WithDefault("jdbc:postgresql://${aeon.postgres.host:127.0.0.1}:${aeon.postgres.port:5432}/${aeon.postgres.database:aeon}")
        String jdbcUrl();

        @WithDefault("${aeon.postgres.username:aeon}")
        String username();

        @WithDefault("${aeon.postgres.password:}")
        Optional<String> password();

        @WithDefault("8")
        int maxPoolSize();
    }
}
