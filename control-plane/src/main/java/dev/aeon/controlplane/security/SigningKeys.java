package dev.aeon.controlplane.security;

import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.SigningKeyRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RSA keys that sign API keys. The first start generates one (RSA 2048) and stores it in PostgreSQL; {@link #rotate}
 * makes a new one active while older ones stay published in the JWKS, so keys they signed keep verifying.
 */
@ApplicationScoped
public class SigningKeys {

    /** The key that signs new tokens. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    @Inject
    ResourceStore store;

    /** How soon a kid it has not seen (or a JWKS request) may make it read the store again. */
    private static final long RELOAD_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile ActiveKey active;
    /** Every published key, replaced whole on each reload: readers take no lock. */
    private volatile Map<String, PublicKey> published = Map.of();
    private final AtomicLong nextReloadNanos = new AtomicLong(System.nanoTime());

    public ActiveKey active() {
        ActiveKey current = active;
        if (current == null) {
            SigningKeyRow row = store.activeSigningKey(SigningKeys::generate);
            current = new ActiveKey(row.kid, privateKey(row.privateKey));
            active = current;
        }
        return current;
    }

    /**
     * The public key for a {@code kid}, or null. A kid it has not seen makes it re-read the store (a rotation on
     * another replica), but at most once a second however many requests name unknown kids: a caller cannot make
     * every request cost a database read.
     */
    public PublicKey publicKey(String kid) {
        PublicKey key = published.get(kid);
        if (key == null && mayReload()) {
            reload();
            key = published.get(kid);
        }
        return key;
    }

    public void rotate() {
        SigningKeyRow next = generate();
        store.rotateSigningKey(next);
        active = new ActiveKey(next.kid, privateKey(next.privateKey));
        reload();
    }

    /** {@code GET /.well-known/jwks.json}: every published key, public parts only. */
    public String jwksJson() {
        active();
        JsonWebKeySet set = new JsonWebKeySet();
        if (published.isEmpty() || mayReload()) {
            reload();
        }
        published.forEach((kid, key) -> {
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key);
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            set.addJsonWebKey(jwk);
        });
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private boolean mayReload() {
        long now = System.nanoTime();
        long next = nextReloadNanos.get();
        return now - next >= 0 && nextReloadNanos.compareAndSet(next, now + RELOAD_GAP_NANOS);
    }

    private void reload() {
        Map<String, PublicKey> keys = new HashMap<>();
        for (SigningKeyRow row : store.publishedSigningKeys()) {
            keys.put(row.kid, decodePublicKey(row.publicKey));
        }
        published = Map.copyOf(keys);
    }

    private static SigningKeyRow generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            SigningKeyRow row = new SigningKeyRow();
            row.kid = "sk-" + UUID.randomUUID();
            row.privateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            row.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
            row.active = true;
            row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return row;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key is unreadable", e);
        }
    }

    private static PublicKey decodePublicKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key is unreadable", e);
        }
    }
}
