package dev.aeon.auth.apikey;

import dev.aeon.auth.Access;
import dev.aeon.auth.AuthException;
import dev.aeon.auth.InternalToken;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the control plane what an API key may do now ({@code GET /internal/v1/api-keys/{keyId}/access}) and caches
 * each answer for at most {@code cacheTtl} (contract: 2 s), so a disabled key or a removed permission stops working
 * within seconds on every node. A 404 (deleted key) is cached the same way. Concurrent asks for one key share one
 * request. Without a fresh answer and without the control plane, calls fail UNAVAILABLE: stale grants are never used.
 */
public final class AccessClient {

    /** Above this many cached keys, expired entries are swept on insert. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private record Entry(CompletableFuture<Access> answer, long askedAtMillis) {
    }

    private final URI controlPlane;
    private final String internalToken;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final long cacheTtlMillis;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /**
     * @param controlPlane the control plane's base URL ({@code http://localhost:7240})
     * @param internalToken sent as {@code X-Aeon-Internal-Token} ({@code aeon.internal.token})
     */
    public AccessClient(URI controlPlane, String internalToken, HttpClient http, Duration requestTimeout,
            Duration cacheTtl, Clock clock) {
        this.controlPlane = controlPlane;
        this.internalToken = internalToken;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.cacheTtlMillis = cacheTtl.toMillis();
        this.clock = clock;
    }

    /** The key's current access; blocks for at most the request timeout. */
    public Access access(String keyId) {
        return Futures.join(accessAsync(keyId));
    }

    /** The key's current access, fetched with the HTTP client's own threads when not cached. */
    public CompletableFuture<Access> accessAsync(String keyId) {
        long now = clock.millis();
        // The age counts from when the question was asked, so an answer is never older than the TTL.
        Entry[] created = new Entry[1];
        Entry entry = cache.compute(keyId, (id, cached) -> {
            if (cached != null && now - cached.askedAtMillis < cacheTtlMillis) {
                return cached;
            }
            created[0] = new Entry(fetch(id), now);
            return created[0];
        });
        if (created[0] != null) {
            // An outage is not an answer: the next call asks again.
            entry.answer.whenComplete((access, failure) -> {
                if (failure != null && Futures.unwrap(failure) instanceof AuthException auth
                        && auth.kind() == AuthException.Kind.UNAVAILABLE) {
                    cache.remove(keyId, entry);
                }
            });
        }
        if (cache.size() > SWEEP_THRESHOLD) {
            cache.entrySet().removeIf(e -> now - e.getValue().askedAtMillis >= cacheTtlMillis);
        }
        return entry.answer;
    }

    private CompletableFuture<Access> fetch(String keyId) {
        URI uri = controlPlane.resolve("/internal/v1/api-keys/" + keyId + "/access");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header(InternalToken.HEADER, internalToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new AuthException(AuthException.Kind.UNAVAILABLE, "cannot ask the control plane at "
                        + controlPlane + " about api key " + keyId + ": " + Jwks.describe(failure), failure);
            }
            return answer(keyId, response);
        });
    }

    private Access answer(String keyId, HttpResponse<String> response) {
        switch (response.statusCode()) {
            case 200:
                Access access;
                try {
                    access = Access.parse(response.body());
                } catch (IllegalArgumentException e) {
                    throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane's answer about api key "
                            + keyId + " is unreadable: " + e.getMessage());
                }
                if (!keyId.equals(access.keyId())) {
                    throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane answered about key "
                            + access.keyId() + " when asked about " + keyId);
                }
                return access;
            case 404:
                throw new AuthException(AuthException.Kind.UNAUTHENTICATED, "api key " + keyId + " has been deleted");
            case 401:
            case 403:
                throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane refused this service's"
                        + " internal token (check aeon.internal.token) when asked about api key " + keyId);
            default:
                throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane answered HTTP "
                        + response.statusCode() + " when asked about api key " + keyId);
        }
    }
}
