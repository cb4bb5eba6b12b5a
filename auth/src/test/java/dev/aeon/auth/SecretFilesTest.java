package dev.aeon.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretFilesTest {

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void aWrittenSecretIsTheOwnersOnlyEvenWhereAReadableFileWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/api-key");
        SecretFiles.write(file, "first");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SecretFiles.write(file, "second");

        assertEquals("second", Files.readString(file));
        assertEquals("rw-------", permissions(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aNewSecretIsCreatedOnceOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("master.key");
        SecretFiles.createNew(file, "key");

        assertEquals("key", Files.readString(file));
        assertEquals("rw-------", permissions(file));
        assertThrows(FileAlreadyExistsException.class, () -> SecretFiles.createNew(file, "other"));
        assertEquals("key", Files.readString(file));
    }
}
