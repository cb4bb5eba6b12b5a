package dev.aeon.codec.keys;

/** A data key row as the store holds it. */
public record StoredDataKey(DataKey key, WrappedKey wrapped) {
}
