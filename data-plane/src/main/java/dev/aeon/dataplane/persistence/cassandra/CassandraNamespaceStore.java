package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceSettings;
import dev.aeon.dataplane.namespace.NamespaceStore;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class CassandraNamespaceStore implements NamespaceStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement insertById;
    private final PreparedStatement update;
    private final PreparedStatement selectByName;
    private final PreparedStatement selectNameById;
    private final PreparedStatement selectAll;
    private final PreparedStatement delete;
    private final PreparedStatement deleteById;

    public CassandraNamespaceStore(CqlSession session) {
        this.session = session;
        this.insert = session.prepare(
                "INSERT INTO namespaces (name, id, detail, settings, notification_version) VALUES (?, ?, ?, ?, ?) "
                        + "IF NOT EXISTS");
        this.insertById = session.prepare("INSERT INTO namespaces_by_id (id, name) VALUES (?, ?)");
        // notification_version (0 at insert) is the record's version: every update is a compare-and-set on it.
        this.update = session.prepare("UPDATE namespaces SET detail = ?, settings = ?, notification_version = ? "
                + "WHERE name = ? IF notification_version = ?");
        this.selectByName = session.prepare("SELECT detail, settings, notification_version FROM namespaces WHERE name = ?");
        this.selectNameById = session.prepare("SELECT name FROM namespaces_by_id WHERE id = ?");
        this.selectAll = session.prepare("SELECT detail, settings, notification_version FROM namespaces");
        this.delete = session.prepare("DELETE FROM namespaces WHERE name = ? IF EXISTS");
        this.deleteById = session.prepare("DELETE FROM namespaces_by_id WHERE id = ?");
    }

    @Override
    public boolean create(Namespace namespace) {
        UUID id = UUID.fromString(namespace.id());
        // The id index first: an orphan index row (if the insert below loses a race) points at a name
        // whose record carries another id, and byId checks that.
        session.execute(insertById.bind(id, namespace.name()));
        return session.execute(insert.bind(namespace.name(), id, detail(namespace), settings(namespace),
                        namespace.version()))
                .wasApplied();
    }

    @Override
    public boolean update(Namespace namespace) {
        // A missing row fails the condition too (its version reads as null), so no upsert resurrects a deleted one.
        return session.execute(update.bind(detail(namespace), settings(namespace), namespace.version() + 1,
                namespace.name(), namespace.version())).wasApplied();
    }

    @Override
    public boolean delete(String name) {
        Optional<Namespace> existing = byName(name);
        if (existing.isEmpty() || !session.execute(delete.bind(name)).wasApplied()) {
            return false;
        }
        session.execute(deleteById.bind(UUID.fromString(existing.get().id())));
        return true;
    }

    @Override
    public Optional<Namespace> byName(String name) {
        return Optional.ofNullable(session.execute(selectByName.bind(name)).one()).map(CassandraNamespaceStore::parse);
    }

    @Override
    public Optional<Namespace> byId(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.execute(selectNameById.bind(uuid)).one())
                .flatMap(row -> byName(row.getString("name")))
                .filter(ns -> ns.id().equals(id));
    }

    @Override
    public List<Namespace> all() {
        return session.execute(selectAll.bind()).all().stream().map(CassandraNamespaceStore::parse).toList();
    }

    private static ByteBuffer detail(Namespace namespace) {
        return ByteBuffer.wrap(namespace.description().toByteArray());
    }

    private static String settings(Namespace namespace) {
        if (namespace.settings() == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(namespace.settings());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("namespace settings not serializable", e);
        }
    }

    private static Namespace parse(Row row) {
        try {
            String settings = row.getString("settings");
            return new Namespace(DescribeNamespaceResponse.parseFrom(row.getByteBuffer("detail")),
                    settings == null ? null : JSON.readValue(settings, NamespaceSettings.class),
                    row.getLong("notification_version"));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("corrupt namespace record", e);
        }
    }
}
