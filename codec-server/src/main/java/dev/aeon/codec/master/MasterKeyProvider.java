package dev.aeon.codec.master;

/**
 * The key-encryption key that protects every namespace's data keys (envelope encryption): data keys are stored only
 * wrapped by it. Implementations hold the master key in process ({@link LocalMasterKeyProvider}, from
 * configuration) or, later, delegate to a KMS whose key never leaves it; the interface is shaped after a KMS's
 * encrypt/decrypt with an encryption context.
 */
public interface MasterKeyProvider {

    /** Recorded next to every data key this provider wraps, so a later provider knows which master key to use. */
    String keyId();

    /**
     * @param dataKey plaintext data key
     * @param context bound to the result: unwrapping with any other context fails (prevents moving a wrapped key
     *                to another namespace or key id)
     */
    byte[] wrap(byte[] dataKey, byte[] context);

    /**
     * @param masterKeyId the {@link #keyId()} recorded when the key was wrapped
     * @throws MasterKeyException if this provider does not hold that master key, or the wrapped key or its context
     *                            changed
     */
    byte[] unwrap(String masterKeyId, byte[] wrapped, byte[] context);
}
