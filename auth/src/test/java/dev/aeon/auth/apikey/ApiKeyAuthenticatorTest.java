package dev.aeon.auth.apikey;

import dev.aeon.auth.Access;
import dev.aeon.auth.AccountRole;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.AuthException;
import dev.aeon.auth.MutableClock;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.testing.StandInControlPlane;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys end to end against a real HTTP control plane: signatures, claims, rotation, access caching, outages. */
class ApiKeyAuthenticatorTest {

    private static final String ACCOUNT = "a1b2c3";
    private static final String KEY_ID = "k-3f2a";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant NEXT_YEAR = NOW.plus(Duration.ofDays(365));

    private final MutableClock clock = new MutableClock(NOW);
    private StandInControlPlane controlPlane;
    private RsaJsonWebKey signingKey;
    private ApiKeyAuthenticator authenticator;

    @BeforeEach
    void start() throws Exception {
        controlPlane = new StandInControlPlane();
        signingKey = controlPlane.newSigningKey("sk-1");
        putAccess(access(KEY_ID, true, AccountRole.DEVELOPER, Map.of("orders." + ACCOUNT, NamespacePermission.WRITE)));
        authenticator = ApiKeyAuthenticator.builder(controlPlane.baseUri(), StandInControlPlane.INTERNAL_TOKEN)
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    @Test
    void aValidKeyIsThePrincipalWithItsCurrentPermissions() throws Exception {
        ApiKeyPrincipal principal = authenticator.authenticate(token(KEY_ID, NEXT_YEAR));

        assertEquals(KEY_ID, principal.keyId());
        assertEquals(ACCOUNT, principal.accountId());
        assertEquals("u-owner", principal.ownerId());
        assertEquals(Optional.of(NamespacePermission.WRITE), principal.permissionOn("orders." + ACCOUNT));
        assertEquals(Optional.empty(), principal.permissionOn("billing." + ACCOUNT));
    }

    @Test
    void theAsyncApiGivesTheSameAnswers() throws Exception {
        assertEquals(KEY_ID, authenticator.authenticateAsync(token(KEY_ID, NEXT_YEAR)).join().keyId());

        CompletionException failure = assertThrows(CompletionException.class,
                () -> authenticator.authenticateAsync(token("k-gone", NEXT_YEAR)).join());
        assertEquals(AuthException.Kind.UNAUTHENTICATED, ((AuthException) failure.getCause()).kind());
    }

    @Test
    void aTamperedSignatureIsRefusedWithoutEchoingTheToken() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        int inSignature = token.lastIndexOf('.') + 10;
        String tampered = token.substring(0, inSignature) + (token.charAt(inSignature) == 'A' ? 'B' : 'A')
                + token.substring(inSignature + 1);

        AuthException refused = refused(tampered, AuthException.Kind.UNAUTHENTICATED);
        assertEquals("api key " + KEY_ID + " has an invalid signature", refused.getMessage());
        assertFalse(refused.getMessage().contains(tampered.substring(tampered.lastIndexOf('.') + 1)));
    }

    @Test
    void aKeySignedByAnotherKeyUnderAPublishedKidIsRefused() throws Exception {
        RsaJsonWebKey forger = StandInControlPlane.unpublishedKey("sk-1");
        String forged = StandInControlPlane.sign(forger, KEY_ID, ACCOUNT, StandInControlPlane.ISSUER, NEXT_YEAR);

        assertEquals("api key " + KEY_ID + " has an invalid signature",
                refused(forged, AuthException.Kind.UNAUTHENTICATED).getMessage());
    }

    @Test
    void aKeyVerifiedOnceIsStillRefusedOnceItExpires() throws Exception {
        // expires at +20 s, accepted until +50 s with the default 30 s clock skew; remembered for at most 60 s
        String shortLived = token(KEY_ID, NOW.plus(Duration.ofSeconds(20)));
        authenticator.authenticate(shortLived);
        authenticator.authenticate(shortLived); // remembered: no second signature check needed

        clock.advance(Duration.ofSeconds(55));

        assertEquals(AuthException.Kind.UNAUTHENTICATED, assertThrows(AuthException.class,
                () -> authenticator.authenticate(shortLived)).kind());
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        String expired = token(KEY_ID, NOW.minus(Duration.ofMinutes(5)));

        assertEquals("api key " + KEY_ID + " has expired",
                refused(expired, AuthException.Kind.UNAUTHENTICATED).getMessage());
    }

    @Test
    void aKeyFromAnotherIssuerIsRefused() throws Exception {
        String foreign = StandInControlPlane.sign(signingKey, KEY_ID, ACCOUNT, "https://elsewhere", NEXT_YEAR);

        assertTrue(refused(foreign, AuthException.Kind.UNAUTHENTICATED).getMessage().contains("(iss)"));
    }

    @Test
    void malformedKeysAreRefused() {
        assertTrue(refused("not-a-jwt", AuthException.Kind.UNAUTHENTICATED).getMessage().contains("malformed"));
        assertTrue(refused("", AuthException.Kind.UNAUTHENTICATED).getMessage().contains("no api key"));
        // alg "none" with the claims of a real key
        String unsigned = "eyJhbGciOiJub25lIiwia2lkIjoic2stMSJ9.eyJqdGkiOiJrLTNmMmEifQ.";
        assertTrue(refused(unsigned, AuthException.Kind.UNAUTHENTICATED).getMessage().contains("RS256"));
    }

    @Test
    void anUnknownKidRefetchesTheSigningKeysSoRotationNeedsNoRestart() throws Exception {
        authenticator.authenticate(token(KEY_ID, NEXT_YEAR));
        assertEquals(1, controlPlane.jwksFetches.get());

        RsaJsonWebKey rotated = controlPlane.newSigningKey("sk-2");
        clock.advance(Duration.ofSeconds(10));
        String signedByNewKey = StandInControlPlane.sign(rotated, KEY_ID, ACCOUNT, StandInControlPlane.ISSUER, NEXT_YEAR);

        assertEquals(KEY_ID, authenticator.authenticate(signedByNewKey).keyId());
        assertEquals(2, controlPlane.jwksFetches.get());
        // the old key keeps verifying from the cache
        authenticator.authenticate(token(KEY_ID, NEXT_YEAR));
        assertEquals(2, controlPlane.jwksFetches.get());
    }

    @Test
    void unknownKidsRefetchAtMostOncePerTenSeconds() throws Exception {
        authenticator.authenticate(token(KEY_ID, NEXT_YEAR));
        clock.advance(Duration.ofSeconds(10));
        String unknown = StandInControlPlane.sign(StandInControlPlane.unpublishedKey("sk-x"), KEY_ID, ACCOUNT,
                StandInControlPlane.ISSUER, NEXT_YEAR);

        assertTrue(refused(unknown, AuthException.Kind.UNAUTHENTICATED).getMessage().contains("unknown signing key"));
        assertEquals(2, controlPlane.jwksFetches.get());
        clock.advance(Duration.ofSeconds(9));
        refused(unknown, AuthException.Kind.UNAUTHENTICATED);
        assertEquals(2, controlPlane.jwksFetches.get(), "a second unknown kid within 10 s must not refetch");
        clock.advance(Duration.ofSeconds(1));
        refused(unknown, AuthException.Kind.UNAUTHENTICATED);
        assertEquals(3, controlPlane.jwksFetches.get());
    }

    @Test
    void accessIsCachedForTwoSecondsThenAChangeIsSeen() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        authenticator.authenticate(token);
        putAccess(access(KEY_ID, false, AccountRole.DEVELOPER, Map.of()));

        clock.advance(Duration.ofMillis(1999));
        authenticator.authenticate(token);
        assertEquals(1, controlPlane.accessFetches.get());

        clock.advance(Duration.ofMillis(1));
        assertEquals("api key " + KEY_ID + " is disabled (or its owner is)",
                refused(token, AuthException.Kind.UNAUTHENTICATED).getMessage());
        assertEquals(2, controlPlane.accessFetches.get());
    }

    @Test
    void aRemovedPermissionIsSeenAfterTheCacheExpires() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        assertEquals(Optional.of(NamespacePermission.WRITE),
                authenticator.authenticate(token).permissionOn("orders." + ACCOUNT));
        putAccess(access(KEY_ID, true, AccountRole.DEVELOPER, Map.of("orders." + ACCOUNT, NamespacePermission.READ)));

        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.of(NamespacePermission.READ),
                authenticator.authenticate(token).permissionOn("orders." + ACCOUNT));
    }

    @Test
    void aDeletedKeyIsRefused() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        authenticator.authenticate(token);
        controlPlane.removeAccess(KEY_ID);
        clock.advance(Duration.ofSeconds(2));

        assertEquals("api key " + KEY_ID + " has been deleted",
                refused(token, AuthException.Kind.UNAUTHENTICATED).getMessage());
    }

    @Test
    void aKeyTheControlPlaneSaysHasExpiredIsRefused() throws Exception {
        putAccess(new Access(KEY_ID, ACCOUNT, "u-owner", "user", true, NOW.minusSeconds(1),
                AccountRole.OWNER, Map.of()));

        assertTrue(refused(token(KEY_ID, NEXT_YEAR), AuthException.Kind.UNAUTHENTICATED).getMessage()
                .endsWith("has expired"));
    }

    @Test
    void withTheControlPlaneDownAndNothingFreshCachedCallsAreUnavailable() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        authenticator.authenticate(token);
        controlPlane.close();
        clock.advance(Duration.ofSeconds(2));

        AuthException refused = refused(token, AuthException.Kind.UNAVAILABLE);
        assertTrue(refused.getMessage().contains("api key " + KEY_ID), refused.getMessage());
    }

    @Test
    void withTheControlPlaneDownFromTheStartSigningKeysAreUnavailable() throws Exception {
        String token = token(KEY_ID, NEXT_YEAR);
        controlPlane.close();

        assertTrue(refused(token, AuthException.Kind.UNAVAILABLE).getMessage().contains("signing keys"));
    }

    @Test
    void aWrongInternalTokenIsAnOperatorProblemNotTheCallers() throws Exception {
        ApiKeyAuthenticator misconfigured = ApiKeyAuthenticator.builder(controlPlane.baseUri(), "wrong")
                .clock(clock).build();

        AuthException refused = assertThrows(AuthException.class,
                () -> misconfigured.authenticate(token(KEY_ID, NEXT_YEAR)));
        assertEquals(AuthException.Kind.UNAVAILABLE, refused.kind());
        assertTrue(refused.getMessage().contains("aeon.internal.token"));
    }

    @Test
    void bearerHeadersAreParsedAsSdksSendThem() {
        assertEquals("abc.def.ghi", ApiKeyAuthenticator.bearerToken("Bearer abc.def.ghi"));
        assertEquals("abc.def.ghi", ApiKeyAuthenticator.bearerToken("bearer  abc.def.ghi "));
        assertEquals(AuthException.Kind.UNAUTHENTICATED,
                assertThrows(AuthException.class, () -> ApiKeyAuthenticator.bearerToken("Basic dXNlcg==")).kind());
        assertEquals(AuthException.Kind.UNAUTHENTICATED,
                assertThrows(AuthException.class, () -> ApiKeyAuthenticator.bearerToken(null)).kind());
    }

    private String token(String keyId, Instant expiresAt) throws Exception {
        return StandInControlPlane.sign(signingKey, keyId, ACCOUNT, StandInControlPlane.ISSUER, expiresAt);
    }

    private AuthException refused(String token, AuthException.Kind kind) {
        AuthException refused = assertThrows(AuthException.class, () -> authenticator.authenticate(token));
        assertEquals(kind, refused.kind(), refused.getMessage());
        return refused;
    }

    private static Access access(String keyId, boolean enabled, AccountRole role,
                                 Map<String, NamespacePermission> grants) {
        return new Access(keyId, ACCOUNT, "u-owner", "user", enabled, NEXT_YEAR, role, grants);
    }

    private void putAccess(Access answer) {
        controlPlane.putAccess(answer.keyId(), answer.toJson());
    }
}
