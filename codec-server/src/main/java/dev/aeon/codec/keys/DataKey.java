package dev.aeon.codec.keys;

import java.time.OffsetDateTime;

/**
 * What is known about a namespace's data key without its material.
 *
 * @param version        1 for the namespace's first key, +1 per rotation; the newest enabled key encrypts
 * @param stateChangedAt when it was last disabled or enabled, or null
 */
public record DataKey(String namespace, String keyId, int version, KeyState state, OffsetDateTime createdAt,
                      OffsetDateTime stateChangedAt) {

    public boolean enabled() {
        return state == KeyState.ENABLED;
    }
}
