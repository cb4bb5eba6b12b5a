package dev.aeon.codec.keys;

/** A data key encrypted under the master key {@code masterKeyId}: the only form in which it is stored. */
public record WrappedKey(String masterKeyId, byte[] bytes) {

    @Override
    public String toString() {
        return "WrappedKey[masterKeyId=" + masterKeyId + ", " + bytes.length + " bytes]";
    }
}
