package dev.aeon.codec.keys;

import dev.aeon.codec.CodecException;
import dev.aeon.codec.CodecException.Cause;
import dev.aeon.codec.master.MasterKeyProvider;
import dev.aeon.codec.sdk.EncryptedPayloadFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Namespaces' data keys: creation, rotation, import, disabling, and the unwrapped keys the codec needs, cached per
 * namespace for {@code aeon.codec.cache-ttl}, for at most {@code aeon.codec.cache-max-namespaces} namespaces. A
 * change made through this server takes effect here at once; one made through another replica takes effect here
 * within the TTL. A key id this replica has not seen makes it look again, at most once a second per namespace, so
 * payloads naming made-up key ids cannot make it reload (and unwrap) a namespace's keys for every request.
 */
@ApplicationScoped
public class DataKeyService {

    private static final Logger LOG = Logger.getLogger(DataKeyService.class);
    private static final Pattern KEY_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A namespace's current encryption key. */
    public record EncryptionKey(String keyId, SecretKey key) {
        @Override
        public String toString() {
            return "EncryptionKey[" + keyId + "]";
        }
    }

    @Inject
    DataKeyRepository repository;

    @Inject
    MasterKeyProvider masterKey;

    @ConfigProperty(name = "aeon.codec.cache-ttl", defaultValue = "30s")
    Duration cacheTtl;

    @ConfigProperty(name = "aeon.codec.cache-max-namespaces", defaultValue = "10000")
    int maxNamespaces;

    /** How soon after a load an unknown key id may load a namespace's keys again. */
    private static final long MISS_RELOAD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, KeyRing> rings = new ConcurrentHashMap<>();

    /** Namespaces whose keys are cached, for metrics and tests. */
    public int cachedNamespaces() {
        return rings.size();
    }

    /** Generates a new key that becomes the namespace's current one (creation and rotation are the same). */
    public DataKey create(String namespace, Optional<String> requestedKeyId) {
        String keyId = requestedKeyId.map(DataKeyService::validKeyId).orElseGet(DataKeyService::newKeyId);
        byte[] material = new byte[EncryptedPayloadFormat.KEY_BYTES];
        RANDOM.nextBytes(material);
        return store(namespace, keyId, material);
    }

    /** Adds a key the tenant already uses (e.g. with a Temporal-samples codec); it becomes the current one. */
    public DataKey importKey(String namespace, String keyId, byte[] material) {
        if (material.length != EncryptedPayloadFormat.KEY_BYTES) {
            throw new CodecException(Cause.INVALID_KEY, "key must be " + EncryptedPayloadFormat.KEY_BYTES
                    + " bytes (AES-256) in base64, got " + material.length + " bytes");
        }
        return store(namespace, validKeyId(keyId), material);
    }

    /** Newest first; never key material. */
    public List<DataKey> list(String namespace) {
        return repository.findByNamespace(namespace).stream().map(StoredDataKey::key).toList();
    }

    public DataKey setState(String namespace, String keyId, KeyState state) {
        DataKey changed = repository.updateState(namespace, keyId, state, now())
                .orElseThrow(() -> new CodecException(Cause.UNKNOWN_KEY,
                        "namespace '" + namespace + "' has no key '" + keyId + "'").withStatus(404));
        rings.remove(namespace);
        LOG.infof("namespace %s: key %s (version %d) %s", namespace, keyId, changed.version(), state);
        return changed;
    }

    /**
     * @throws CodecException {@code no-active-key} if the namespace has no enabled key
     */
    public EncryptionKey encryptionKey(String namespace) {
        EncryptionKey current = ring(namespace, false).current;
        if (current == null) {
            throw new CodecException(Cause.NO_ACTIVE_KEY, "namespace '" + namespace + "' has no enabled encryption"
                    + " key; create one with POST /codec/keys/" + namespace);
        }
        return current;
    }

    /**
     * @throws CodecException {@code unknown-key} or {@code key-disabled}
     */
    public SecretKey decryptionKey(String namespace, String keyId) {
        KeyRing ring = ring(namespace, false);
        DataKey key = ring.keys.get(keyId);
        if (key == null && System.nanoTime() - ring.loadedAt >= MISS_RELOAD_NANOS) {
            ring = ring(namespace, true);
            key = ring.keys.get(keyId);
        }
        if (key == null) {
            throw new CodecException(Cause.UNKNOWN_KEY, "namespace '" + namespace + "' has no key '" + keyId + "'");
        }
        if (!key.enabled()) {
            throw new CodecException(Cause.KEY_DISABLED, "key '" + keyId + "' of namespace '" + namespace
                    + "' is disabled; enable it with POST /codec/keys/" + namespace + "/" + keyId + "/enable");
        }
        return ring.material.get(keyId);
    }

    private DataKey store(String namespace, String keyId, byte[] material) {
        byte[] wrapped = masterKey.wrap(material, wrapContext(namespace, keyId));
        Arrays.fill(material, (byte) 0);
        DataKey key;
        try {
            key = repository.insertNewest(namespace, keyId, new WrappedKey(masterKey.keyId(), wrapped), now());
        } catch (DuplicateKeyIdException e) {
            throw new CodecException(Cause.KEY_EXISTS, e.getMessage());
        }
        rings.remove(namespace);
        LOG.infof("namespace %s: key %s (version %d) is now current", namespace, keyId, key.version());
        return key;
    }

    private KeyRing ring(String namespace, boolean reload) {
        long now = System.nanoTime();
        KeyRing ring = rings.get(namespace);
        if (reload || ring == null || now - ring.loadedAt > cacheTtl.toNanos()) {
            ring = load(namespace, now);
            if (rings.put(namespace, ring) == null && rings.size() > maxNamespaces) {
                evictOldest();
            }
        }
        return ring;
    }

    /** Drops the namespace loaded longest ago; it is loaded again when next used. */
    private void evictOldest() {
        rings.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().loadedAt))
                .ifPresent(oldest -> rings.remove(oldest.getKey(), oldest.getValue()));
    }

    private KeyRing load(String namespace, long now) {
        KeyRing ring = new KeyRing(now);
        for (StoredDataKey stored : repository.findByNamespace(namespace)) {
            DataKey key = stored.key();
            ring.keys.put(key.keyId(), key);
            if (!key.enabled()) {
                continue;
            }
            byte[] material = masterKey.unwrap(stored.wrapped().masterKeyId(), stored.wrapped().bytes(),
                    wrapContext(namespace, key.keyId()));
            SecretKey secret = EncryptedPayloadFormat.aesKey(material);
            Arrays.fill(material, (byte) 0);
            ring.material.put(key.keyId(), secret);
            if (ring.current == null) {
                ring.current = new EncryptionKey(key.keyId(), secret);
            }
        }
        return ring;
    }

    /** Binds a wrapped key to its namespace and id: a row moved to another namespace does not unwrap. */
    static byte[] wrapContext(String namespace, String keyId) {
        return ("aeon-codec-data-key/v1\0" + namespace + "\0" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private static String validKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new CodecException(Cause.INVALID_KEY_ID, "keyId must be 1-128 printable ASCII characters without"
                    + " spaces" + (keyId == null ? "" : ", got " + keyId.length() + " characters"));
        }
        return keyId;
    }

    private static String newKeyId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return "aeon-" + HexFormat.of().formatHex(random);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** One namespace's keys as loaded at {@code loadedAt}; newest enabled one encrypts. */
    private static final class KeyRing {
        final long loadedAt;
        final Map<String, DataKey> keys = new HashMap<>();
        final Map<String, SecretKey> material = new HashMap<>();
        EncryptionKey current;

        KeyRing(long loadedAt) {
            this.loadedAt = loadedAt;
        }
    }
}
