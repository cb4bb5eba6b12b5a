package dev.aeon.controlplane.security;

import dev.aeon.controlplane.store.SigningKeyRow;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Signing-key rows as the control plane stores them (private part sealed under the test profile's key). */
public final class TestSigningKeys {

    private static final SigningKeyCipher CIPHER =
            SigningKeyCipher.of(Optional.of("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

    private TestSigningKeys() {
    }

    /** A new active key, not stored yet. */
    public static SigningKeyRow generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            SigningKeyRow row = new SigningKeyRow();
            row.kid = "sk-test-" + UUID.randomUUID();
            row.privateKey = CIPHER.seal(row.kid, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            row.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
            row.active = true;
            row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return row;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
