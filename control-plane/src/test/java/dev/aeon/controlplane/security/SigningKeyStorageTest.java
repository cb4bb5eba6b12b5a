package dev.aeon.controlplane.security;

import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.SigningKeyRow;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The private parts of signing keys never reach PostgreSQL in the clear. */
@QuarkusTest
class SigningKeyStorageTest {

    @Inject
    ResourceStore store;

    @Inject
    SigningKeys keys;

    @Test
    void storedKeysAreEncryptedAndAKeyStoredBeforeIsEncryptedAtStart() throws Exception {
        keys.active();
        keys.rotate();
        for (SigningKeyRow row : store.signingKeys()) {
            assertTrue(SigningKeyCipher.sealed(row.privateKey), row.kid + " is stored in the clear");
        }

        SigningKeyRow legacy = new SigningKeyRow();
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        String clear = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        legacy.kid = "sk-legacy-" + UUID.randomUUID();
        legacy.privateKey = clear;
        legacy.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        legacy.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        store.rotateSigningKey(legacy);
        keys.rotate(); // the legacy key is an old, still published one now

        keys.sealStoredKeys(null);

        String stored = store.signingKeys().stream().filter(row -> row.kid.equals(legacy.kid)).findFirst()
                .orElseThrow().privateKey;
        assertTrue(SigningKeyCipher.sealed(stored));
        assertFalse(stored.contains(clear.substring(0, 40)));
        assertEquals(clear, SigningKeyCipher.of(Optional.of("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="))
                .open(legacy.kid, stored));
    }

    @Test
    void aWrongKeyOrAMovedValueDoesNotOpen() {
        SigningKeyCipher cipher = SigningKeyCipher.of(Optional.of("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        SigningKeyCipher other = SigningKeyCipher.of(Optional.of(Base64.getEncoder().encodeToString(new byte[32])));
        String sealed = cipher.seal("sk-1", "MIIEv-private");

        assertEquals("MIIEv-private", cipher.open("sk-1", sealed));
        assertTrue(assertThrows(IllegalStateException.class, () -> other.open("sk-1", sealed)).getMessage()
                .startsWith(SigningKeyCipher.CONFIG + " does not decrypt signing key sk-1"));
        assertThrows(IllegalStateException.class, () -> cipher.open("sk-2", sealed));
        assertThrows(IllegalStateException.class, () -> SigningKeyCipher.of(Optional.of("too-short")));
        assertThrows(IllegalStateException.class, () -> SigningKeyCipher.of(Optional.empty()).open("sk-1", sealed));
    }
}
