package dev.aeon.launcher;

import dev.aeon.auth.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The shared secret Aeon's own services use on each other's {@code /internal/...} endpoints
 * (docs/internal-api.md): made once per data directory, readable by its owner only.
 */
final class InternalTokenFile {

    private InternalTokenFile() {
    }

    static String of(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            try {
                SecretFiles.createNew(file, token + "\n");
            } catch (FileAlreadyExistsException madeMeanwhile) {
                return Files.readString(file).trim();
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the internal token " + file, e);
        }
    }
}
