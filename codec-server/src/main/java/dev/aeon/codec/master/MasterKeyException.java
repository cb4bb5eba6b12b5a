package dev.aeon.codec.master;

/** A data key that cannot be unwrapped, or a master key that cannot be loaded. Never carries key material. */
public final class MasterKeyException extends RuntimeException {

    public MasterKeyException(String message) {
        super(message);
    }
}
