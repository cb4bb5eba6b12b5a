package dev.aeon.auth.apikey;

import dev.aeon.auth.AuthException;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The control plane's signing keys, fetched from {@code /.well-known/jwks.json} and cached. A key id not in the
 * cache triggers a refetch at most once per {@code refetchInterval} (so a rotated-in signing key is picked up
 * without a restart, and a flood of forged key ids cannot flood the control plane); the whole set is also refreshed
 * when older than {@code maxAge}, so a retired signing key stops verifying. Concurrent fetches are coalesced.
 */
final class Jwks {

    private static final System.Logger LOG = System.getLogger(Jwks.class.getName());

    private record Snapshot(Map<String, PublicKey> keys, long fetchedAtMillis) {
    }

    private final URI uri;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final long refetchIntervalMillis;
    private final long maxAgeMillis;
    private final Clock clock;

    private volatile Snapshot snapshot;
    private long lastAttemptMillis = Long.MIN_VALUE / 2;
    private CompletableFuture<Snapshot> inFlight;

    Jwks(URI uri, HttpClient http, Duration requestTimeout, Duration refetchInterval, Duration maxAge, Clock clock) {
        this.uri = uri;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.refetchIntervalMillis = refetchInterval.toMillis();
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    /** The public key with this id; fails with UNAUTHENTICATED for an unknown id, UNAVAILABLE if none could be fetched. */
    CompletableFuture<PublicKey> key(String kid) {
        Snapshot current = snapshot;
        long now = clock.millis();
        if (current != null && current.keys.containsKey(kid) && now - current.fetchedAtMillis < maxAgeMillis) {
            return CompletableFuture.completedFuture(current.keys.get(kid));
        }
        CompletableFuture<Snapshot> refreshed = refresh(now, current == null || current.keys.containsKey(kid));
        if (refreshed == null) {
            return current != null && current.keys.containsKey(kid)
                    ? CompletableFuture.completedFuture(current.keys.get(kid))
                    : CompletableFuture.failedFuture(unknownKey(kid));
        }
        return refreshed.handle((fresh, failure) -> {
            if (failure == null) {
                PublicKey key = fresh.keys.get(kid);
                if (key == null) {
                    throw unknownKey(kid);
                }
                return key;
            }
            // A stale set still beats refusing everyone while the control plane is briefly away.
            if (current != null && current.keys.containsKey(kid)) {
                return current.keys.get(kid);
            }
            throw failure instanceof CompletionException ? (CompletionException) failure
                    : new CompletionException(failure);
        });
    }

    /**
     * Starts (or joins) a fetch. Returns null when an unknown key id asks for one within the refetch interval; a
     * fetch for a missing or stale set is always allowed, but failed attempts are still spaced by a second.
     */
    private synchronized CompletableFuture<Snapshot> refresh(long now, boolean staleOrEmpty) {
        if (inFlight != null) {
            return inFlight;
        }
        long sinceLast = now - lastAttemptMillis;
        if (sinceLast < (staleOrEmpty ? Math.min(1000, refetchIntervalMillis) : refetchIntervalMillis)) {
            return staleOrEmpty && snapshot == null ? CompletableFuture.failedFuture(unavailable(null)) : null;
        }
        lastAttemptMillis = now;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", "application/json").build();
        CompletableFuture<Snapshot> fetch = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw unavailable(failure);
                    }
                    if (response.statusCode() != 200) {
                        throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane answered HTTP "
                                + response.statusCode() + " for its signing keys at " + uri);
                    }
                    Snapshot fresh = new Snapshot(parse(response.body()), clock.millis());
                    snapshot = fresh;
                    return fresh;
                });
        inFlight = fetch;
        fetch.whenComplete((ignored, failure) -> clearInFlight(fetch));
        return fetch;
    }

    private synchronized void clearInFlight(CompletableFuture<Snapshot> done) {
        if (inFlight == done) {
            inFlight = null;
        }
    }

    private Map<String, PublicKey> parse(String body) {
        try {
            Map<String, PublicKey> keys = new HashMap<>();
            for (JsonWebKey jwk : new JsonWebKeySet(body).getJsonWebKeys()) {
                if (jwk.getKeyId() != null && jwk instanceof PublicJsonWebKey
                        && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                    keys.put(jwk.getKeyId(), ((PublicJsonWebKey) jwk).getPublicKey());
                }
            }
            LOG.log(System.Logger.Level.DEBUG, "fetched {0} signing keys from {1}", keys.size(), uri);
            return Map.copyOf(keys);
        } catch (JoseException e) {
            throw new AuthException(AuthException.Kind.UNAVAILABLE, "the control plane's signing keys at " + uri
                    + " are not a JWKS: " + e.getMessage());
        }
    }

    private AuthException unavailable(Throwable cause) {
        return new AuthException(AuthException.Kind.UNAVAILABLE, "cannot fetch the control plane's signing keys from "
                + uri + (cause == null ? " (last attempt failed less than a second ago)" : ": " + describe(cause)),
                cause);
    }

    private static AuthException unknownKey(String kid) {
        return new AuthException(AuthException.Kind.UNAUTHENTICATED,
                "api key is signed by an unknown signing key (kid " + kid + ")");
    }

    static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }
}
