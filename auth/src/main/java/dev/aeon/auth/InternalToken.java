package dev.aeon.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The shared secret Aeon's services present on each other's {@code /internal/...} endpoints (docs/internal-api.md):
 * the header that carries it and the one check every service makes.
 */
public final class InternalToken {

    public static final String HEADER = "X-Aeon-Internal-Token";

    private InternalToken() {
    }

    /**
     * Why a request presenting {@code presented} may not use internal endpoints, or empty when it may. Without a
     * configured token ({@code aeon.internal.token}) they refuse everyone. Compared in constant time.
     */
    public static Optional<String> refusal(Optional<String> configured, String presented) {
        if (configured.isEmpty() || configured.get().isBlank()) {
            return Optional.of("internal endpoints are closed: aeon.internal.token is not configured");
        }
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                configured.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(HEADER + ": missing or wrong internal token");
        }
        return Optional.empty();
    }
}
