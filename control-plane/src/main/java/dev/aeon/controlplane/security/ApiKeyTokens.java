package dev.aeon.controlplane.security;

import dev.aeon.auth.OwnerType;
import dev.aeon.controlplane.error.CloudApiException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HexFormat;

/** API key tokens in the contract's format (docs/internal-api.md): RS256 JWS, {@code kid}, jti/sub/aeon_* claims. */
@ApplicationScoped
public class ApiKeyTokens {

    /** What a verified token says; whether it still works is the key's row's business. */
    public record Claims(String keyId, String ownerId, OwnerType ownerType, String accountId) {
    }

    @Inject
    SigningKeys keys;

    @ConfigProperty(name = "aeon.auth.issuer", defaultValue = "https://aeon.local/control-plane")
    String issuer;

    public String issue(String keyId, String ownerId, OwnerType ownerType, String accountId, Instant expiry) {
        SigningKeys.ActiveKey key = keys.active();
        return Jwt.claims()
                .issuer(issuer)
                .subject(ownerId)
                .claim("jti", keyId)
                .claim("aeon_owner_type", ownerType.wire)
                .claim("aeon_account", accountId)
                .issuedAt(Instant.now())
                .expiresAt(expiry)
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256)
                .sign(key.privateKey());
    }

    public Claims verify(String token) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver((jws, nested) -> {
                    PublicKey key = jws.getKeyIdHeaderValue() == null ? null : keys.publicKey(jws.getKeyIdHeaderValue());
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid");
                    }
                    return key;
                })
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            return new Claims(claims.getJwtId(), claims.getSubject(),
                    OwnerType.fromWire(claims.getStringClaimValue("aeon_owner_type")),
                    claims.getStringClaimValue("aeon_account"));
        } catch (InvalidJwtException e) {
            throw CloudApiException.unauthenticated(e.hasExpired() ? "the API key has expired"
                    : "the API key is not a valid key of this control plane");
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw CloudApiException.unauthenticated("the API key's claims are malformed");
        }
    }

    /** What the store keeps instead of the token. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
