package dev.aeon.codec.keys;

/** A namespace already has a data key with this id. */
public final class DuplicateKeyIdException extends RuntimeException {

    public DuplicateKeyIdException(String namespace, String keyId) {
        super("namespace '" + namespace + "' already has a key '" + keyId + "'");
    }
}
