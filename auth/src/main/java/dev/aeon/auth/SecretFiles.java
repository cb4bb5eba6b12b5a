package dev.aeon.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Files holding secrets (API keys, the internal token, master keys): readable by their owner only from the moment
 * they exist. Creating a file and restricting it afterwards leaves a window in which anyone on the machine may open
 * it (and keep the descriptor); here the permission is part of the create call. On file systems without POSIX
 * permissions (Windows) the file gets its directory's ACL.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Writes {@code content} to {@code file}, replacing it atomically; the new file is 0600 from the start. */
    public static void write(Path file, String content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // createTempFile makes 0600 files on POSIX systems; the attribute says so explicitly.
        Path temporary = posix()
                ? Files.createTempFile(directory, "." + file.getFileName(), ".tmp", ownerOnly())
                : Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates {@code file} with {@code content}, 0600 from the start; {@link java.nio.file.FileAlreadyExistsException}
     * if it exists (so two processes racing to create a secret keep one).
     */
    public static void createNew(Path file, String content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (SeekableByteChannel channel = posix()
                ? Files.newByteChannel(file, options, ownerOnly())
                : Files.newByteChannel(file, options)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
