package dev.aeon.auth.apikey;

import dev.aeon.auth.Access;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.AuthException;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an API key into a {@link ApiKeyPrincipal}: verifies the token ({@link ApiKeyVerifier}), then asks what it
 * may do now ({@link AccessClient}) and refuses a disabled or expired key. One instance per service; thread-safe.
 */
public final class ApiKeyAuthenticator {

    private final ApiKeyVerifier verifier;
    private final AccessClient accessClient;
    private final Clock clock;

    public ApiKeyAuthenticator(ApiKeyVerifier verifier, AccessClient accessClient, Clock clock) {
        this.verifier = verifier;
        this.accessClient = accessClient;
        this.clock = clock;
    }

    /** Everything from the control plane's URL and the internal token, with the contract's defaults. */
    public static Builder builder(URI controlPlane, String internalToken) {
        return new Builder(controlPlane, internalToken);
    }

    /**
     * The token of an {@code Authorization} header value ({@code Bearer <api key>}, as Temporal SDKs and the Web UI
     * send it; the scheme is case-insensitive).
     */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "no credentials: send an API key as"
                    + " 'Authorization: Bearer <key>' or connect with a client certificate");
        }
        String value = authorizationHeader.trim();
        if (value.length() < 8 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED,
                    "the authorization header must be 'Bearer <api key>'");
        }
        return value.substring(7).trim();
    }

    /** Blocks for at most two control-plane round trips (signing keys, access), each bounded by the request timeout. */
    public ApiKeyPrincipal authenticate(String token) {
        return Futures.join(authenticateAsync(token));
    }

    /** Never blocks the calling thread; completes exceptionally with an {@link AuthException}. */
    public CompletableFuture<ApiKeyPrincipal> authenticateAsync(String token) {
        return verifier.verifyAsync(token)
                .thenCompose(claims -> accessClient.accessAsync(claims.keyId())
                        .thenApply(access -> principal(claims, access)));
    }

    private ApiKeyPrincipal principal(ApiKeyClaims claims, Access access) {
        if (!access.enabled()) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "api key " + claims.keyId()
                    + " is disabled (or its owner is)");
        }
        if (access.expiredAt(clock.instant())) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "api key " + claims.keyId() + " has expired");
        }
        if (!claims.accountId().equals(access.accountId())) {
            throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "api key " + claims.keyId()
                    + " no longer belongs to the account it was issued for");
        }
        return new ApiKeyPrincipal(claims.keyId(), access.accountId(), access.ownerId(), access.ownerType(), access);
    }

    /** Settings with the contract's defaults; every one maps to an {@code aeon.auth.*} key in docs/auth.md. */
    public static final class Builder {
        private final URI controlPlane;
        private final String internalToken;
        private String issuer = "https://aeon.local/control-plane";
        private URI jwksUri;
        private Duration accessCacheTtl = Duration.ofSeconds(2);
        private Duration jwksRefetchInterval = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration clockSkew = Duration.ofSeconds(30);
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder(URI controlPlane, String internalToken) {
            this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
            this.internalToken = Objects.requireNonNull(internalToken, "internalToken");
        }

        /** {@code aeon.auth.issuer}; default {@code https://aeon.local/control-plane}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Default: {@code <controlPlane>/.well-known/jwks.json}. */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = jwksUri;
            return this;
        }

        /** How long an access answer may be reused; the contract allows at most 2 s. */
        public Builder accessCacheTtl(Duration ttl) {
            this.accessCacheTtl = ttl;
            return this;
        }

        /** Least time between JWKS refetches caused by an unknown {@code kid}; contract: 10 s. */
        public Builder jwksRefetchInterval(Duration interval) {
            this.jwksRefetchInterval = interval;
            return this;
        }

        /** Per request to the control plane; default 2 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Tolerance on {@code exp}; default 30 s. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public ApiKeyAuthenticator build() {
            HttpClient http = httpClient != null ? httpClient
                    : HttpClient.newBuilder().connectTimeout(requestTimeout).build();
            URI jwks = jwksUri != null ? jwksUri : controlPlane.resolve("/.well-known/jwks.json");
            return new ApiKeyAuthenticator(
                    new ApiKeyVerifier(jwks, issuer, http, requestTimeout, jwksRefetchInterval, clockSkew, clock),
                    new AccessClient(controlPlane, internalToken, http, requestTimeout, accessCacheTtl, clock),
                    clock);
        }
    }
}
