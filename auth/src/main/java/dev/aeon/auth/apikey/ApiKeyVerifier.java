package dev.aeon.auth.apikey;

import dev.aeon.auth.AuthException;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies an API key's signature and standard claims: a compact JWS signed RS256 by a key in the control plane's
 * JWKS, issued by the configured issuer, not expired, carrying the claims of docs/internal-api.md. Says who the key
 * is; {@link AccessClient} says what it may do now.
 */
public final class ApiKeyVerifier {

    /** Far above any real key; bounds the work a forged header can cause. */
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final JwtConsumer HEADER_ONLY = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    /** How long a verified signature is trusted without checking it again (never past the key's expiry). */
    static final Duration VERIFIED_TTL = Duration.ofSeconds(60);
    private static final int MAX_VERIFIED = 10_000;

    private final Jwks jwks;
    private final String issuer;
    /**
     * Tokens whose signature and claims verified, so a worker's every poll costs a map lookup instead of an RSA
     * verification and a JSON parse. Only the signature is remembered: what the key may do (disabled, deleted,
     * permissions) is asked of {@link AccessClient} on its own short cache, so revocation is not delayed by this.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Duration clockSkew;
    private final Clock clock;

    /**
     * @param jwksUri the control plane's {@code /.well-known/jwks.json}
     * @param issuer the expected {@code iss} ({@code aeon.auth.issuer})
     * @param jwksRefetchInterval the least time between refetches caused by an unknown {@code kid} (contract: 10 s)
     */
    public ApiKeyVerifier(URI jwksUri, String issuer, HttpClient http, Duration requestTimeout,
            Duration jwksRefetchInterval, Duration clockSkew, Clock clock) {
        this.jwks = new Jwks(jwksUri, http, requestTimeout, jwksRefetchInterval, Duration.ofMinutes(5), clock);
        this.issuer = issuer;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** Verifies, fetching signing keys if needed (blocks for at most the request timeout). */
    public ApiKeyClaims verify(String token) {
        return Futures.join(verifyAsync(token));
    }

    /** Verifies without blocking the calling thread when the signing keys must be fetched. */
    public CompletableFuture<ApiKeyClaims> verifyAsync(String token) {
        Verified known = token == null ? null : verified.get(token);
        if (known != null && clock.millis() < known.trustedUntilMillis()) {
            return CompletableFuture.completedFuture(known.claims());
        }
        return verifyFully(token).thenApply(claims -> {
            remember(token, claims);
            return claims;
        });
    }

    private void remember(String token, ApiKeyClaims claims) {
        if (verified.size() >= MAX_VERIFIED) {
            verified.clear(); // crude bound; refilled by the keys in use within a minute
        }
        long until = clock.millis() + VERIFIED_TTL.toMillis();
        if (claims.expiresAt() != null) {
            until = Math.min(until, claims.expiresAt().plus(clockSkew).toEpochMilli()); // as the full check allows
        }
        verified.put(token, new Verified(claims, until));
    }

    private record Verified(ApiKeyClaims claims, long trustedUntilMillis) {
    }

    private CompletableFuture<ApiKeyClaims> verifyFully(String token) {
        JwtContext parsed;
        String kid;
        try {
            parsed = parse(token);
            kid = signingKeyId(parsed);
        } catch (AuthException e) {
            return CompletableFuture.failedFuture(e);
        }
        return jwks.key(kid).thenApply(key -> check(parsed, key, kid));
    }

    private static JwtContext parse(String token) {
        if (token == null || token.isBlank()) {
            throw unauthenticated("no api key");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw unauthenticated("api key is malformed: longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        try {
            return HEADER_ONLY.process(token);
        } catch (InvalidJwtException e) {
            throw unauthenticated("api key is malformed: not a signed JWT");
        }
    }

    private static String signingKeyId(JwtContext parsed) {
        if (parsed.getJoseObjects().size() != 1) {
            throw unauthenticated("api key is malformed: nested or encrypted JWT");
        }
        JsonWebStructure jws = parsed.getJoseObjects().get(0);
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(jws.getAlgorithmHeaderValue())) {
            throw unauthenticated("api key is not signed RS256");
        }
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null || !ID.matcher(kid).matches()) {
            throw unauthenticated("api key is malformed: no usable kid header");
        }
        return kid;
    }

    private ApiKeyClaims check(JwtContext parsed, PublicKey key, String kid) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer(issuer)
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setRequireSubject()
                .setSkipDefaultAudienceValidation()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setAllowedClockSkewInSeconds((int) clockSkew.toSeconds())
                .build();
        try {
            consumer.processContext(parsed);
        } catch (InvalidJwtException e) {
            throw unauthenticated(reason(e, parsed.getJwtClaims()));
        }
        return claims(parsed.getJwtClaims(), kid);
    }

    private static ApiKeyClaims claims(JwtClaims claims, String kid) {
        try {
            String keyId = claims.getJwtId();
            if (!ID.matcher(keyId).matches()) {
                throw unauthenticated("api key is malformed: jti is not a key id");
            }
            String account = claims.getStringClaimValue("aeon_account");
            String ownerType = claims.getStringClaimValue("aeon_owner_type");
            if (account == null || account.isBlank() || ownerType == null) {
                throw unauthenticated("api key " + keyId + " lacks aeon_account or aeon_owner_type");
            }
            Instant issuedAt = claims.getIssuedAt() == null ? null
                    : Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            return new ApiKeyClaims(keyId, claims.getSubject(), ownerType, account, issuedAt,
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()), kid);
        } catch (MalformedClaimException e) {
            throw unauthenticated("api key is malformed: a claim has the wrong type");
        }
    }

    /** Names the first rule the key broke, with its id when the claims say it; never the token. */
    private static String reason(InvalidJwtException e, JwtClaims claims) {
        String key = "api key";
        try {
            if (claims != null && claims.getJwtId() != null && ID.matcher(claims.getJwtId()).matches()) {
                key = "api key " + claims.getJwtId();
            }
        } catch (MalformedClaimException ignored) {
            // keep the anonymous name
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return key + " has an invalid signature";
        }
        if (e.hasExpired()) {
            return key + " has expired";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return key + " was not issued by this control plane (iss)";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return key + " has no expiry (exp)";
        }
        if (e.hasErrorCode(ErrorCodes.JWT_ID_MISSING) || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return key + " lacks jti or sub";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return key + " is not valid yet";
        }
        return key + " is invalid";
    }

    private static AuthException unauthenticated(String message) {
        return new AuthException(AuthException.Kind.UNAUTHENTICATED, message);
    }
}
