package dev.aeon.auth;

/** Who owns an API key: a user or a service account. */
public enum OwnerType {
    USER("user"), SERVICE_ACCOUNT("service-account");

    /** The contract's spelling: the {@code aeon_owner_type} claim and the access endpoint's {@code ownerType}. */
    public final String wire;

    OwnerType(String wire) {
        this.wire = wire;
    }

    /** The owner type the contract spells {@code wire}; IllegalArgumentException for any other spelling. */
    public static OwnerType fromWire(String wire) {
        for (OwnerType type : values()) {
            if (type.wire.equals(wire)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown owner type " + wire);
    }
}
