package dev.aeon.controlplane.security;

import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.SigningKeyRow;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RSA keys that sign API keys. The first start generates one (RSA 2048) and stores it in PostgreSQL, its private
 * part encrypted ({@link SigningKeyCipher}); {@link #rotate} makes a new one active while older ones stay published
 * in the JWKS, so keys they signed keep verifying, until {@link #retire}.
 */
@ApplicationScoped
public class SigningKeys {

    /** The key that signs new tokens. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    @Inject
    ResourceStore store;

    /** How soon a kid it has not seen (or a JWKS request) may make it read the store again. */
    private static final long RELOAD_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    @ConfigProperty(name = SigningKeyCipher.CONFIG)
    Optional<String> encryptionKey;

    /**
     * How old this replica's copy of the published keys may get before a verification re-reads it: a key another
     * replica retired stops verifying here within this time (the data plane's and codec server's JWKS copies age
     * out the same way).
     */
    @ConfigProperty(name = "aeon.control-plane.signing-keys.max-age", defaultValue = "30s")
    java.time.Duration maxAge;

    private SigningKeyCipher cipher;

    @PostConstruct
    void init() {
        cipher = SigningKeyCipher.of(encryptionKey);
    }

    /**
     * At start-up: keys stored before encryption was configured are encrypted now, and every stored key must open
     * with the configured key, so a wrong key stops the start instead of the first API key issued.
     */
    void sealStoredKeys(@Observes StartupEvent start) {
        if (!cipher.enabled()) {
            LOG.warnf("%s is not set: signing keys' private parts are stored unencrypted in PostgreSQL",
                    SigningKeyCipher.CONFIG);
        }
        for (SigningKeyRow row : store.signingKeys()) {
            cipher.open(row.kid, row.privateKey);
            if (cipher.enabled() && !SigningKeyCipher.sealed(row.privateKey)) {
                store.replaceSigningKeyPrivatePart(row.kid, cipher.seal(row.kid, row.privateKey));
            }
        }
    }

    /** The active key as last read, its private part opened. */
    private volatile ActiveKey active;
    /** Every published key, replaced whole on each reload: readers take no lock. */
    private volatile Map<String, PublicKey> published = Map.of();
    private volatile long publishedAtNanos;
    private final AtomicLong nextReloadNanos = new AtomicLong(System.nanoTime());

    /**
     * The key that signs new tokens, as the store has it now: a rotation on another replica signs here from the next
     * token on, so this replica never signs with a key another one rotated out and retired (a token nobody would
     * verify). Only the opened private part of the latest is kept. Tokens are issued seldom: one read each is cheap.
     */
    public ActiveKey active() {
        SigningKeyRow row = store.activeSigningKey(this::generate);
        ActiveKey current = active;
        if (current == null || !current.kid().equals(row.kid)) {
            current = new ActiveKey(row.kid, privateKey(cipher.open(row.kid, row.privateKey)));
            active = current;
            reload(); // what it signs verifies here at once
        }
        return current;
    }

    /**
     * The public key for a {@code kid}, or null. A kid it has not seen makes it re-read the store (a rotation on
     * another replica), but at most once a second however many requests name unknown kids: a caller cannot make
     * every request cost a database read. A copy older than {@code aeon.control-plane.signing-keys.max-age} is re-read
     * too (a
     * retirement on another replica).
     */
    public PublicKey publicKey(String kid) {
        if (System.nanoTime() - publishedAtNanos > maxAge.toNanos() && mayReload()) {
            reload();
        }
        PublicKey key = published.get(kid);
        if (key == null && mayReload()) {
            reload();
            key = published.get(kid);
        }
        return key;
    }

    /** Makes a new key the active one; returns its kid. Keys signed by the previous one keep verifying. */
    public String rotate() {
        SigningKeyRow next = generate();
        store.rotateSigningKey(next);
        active = new ActiveKey(next.kid, privateKey(cipher.open(next.kid, next.privateKey)));
        reload();
        return next.kid;
    }

    /**
     * Unpublishes a key that is not the active one: API keys it signed stop verifying here at once and on the data
     * plane and the codec server when their copy of the JWKS is refreshed.
     */
    public SigningKeyRow retire(String kid) {
        SigningKeyRow retired = store.retireSigningKey(kid)
                .orElseThrow(() -> CloudApiException.notFound("signing key", kid));
        if (retired.active) {
            throw CloudApiException.failedPrecondition("kid", "signing key " + kid
                    + " is the active one and cannot be retired; rotate first");
        }
        reload();
        return retired;
    }

    /** Every signing key, retired ones included, oldest first. */
    public List<SigningKeyRow> all() {
        return store.signingKeys();
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
        publishedAtNanos = System.nanoTime();
    }

    private SigningKeyRow generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            SigningKeyRow row = new SigningKeyRow();
            row.kid = "sk-" + UUID.randomUUID();
            row.privateKey = cipher.seal(row.kid, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
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
