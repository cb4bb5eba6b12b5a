package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.persistence.NamespaceStore;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class CassandraNamespaceStore implements NamespaceStore {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement insertById;
    private final PreparedStatement update;
    private final PreparedStatement selectByName;
    private final PreparedStatement selectNameById;
    private final PreparedStatement selectAll;

    public CassandraNamespaceStore(CqlSession session) {
        this.session = session;
        this.insert = session.prepare(
                "INSERT INTO namespaces (name, id, detail, notification_version) VALUES (?, ?, ?, 0) IF NOT EXISTS");
        this.insertById = session.prepare("INSERT INTO namespaces_by_id (id, name) VALUES (?, ?)");
        this.update = session.prepare("UPDATE namespaces SET detail = ? WHERE name = ? IF EXISTS");
        this.selectByName = session.prepare("SELECT detail FROM namespaces WHERE name = ?");
        this.selectNameById = session.prepare("SELECT name FROM namespaces_by_id WHERE id = ?");
        this.selectAll = session.prepare("SELECT detail FROM namespaces");
    }

    @Override
    public boolean create(DescribeNamespaceResponse namespace) {
        String name = namespace.getNamespaceInfo().getName();
        UUID id = UUID.fromString(namespace.getNamespaceInfo().getId());
        // The id index first: an orphan index row (if the insert below loses a race) points at a name
        // whose record carries another id, and byId checks that.
        session.execute(insertById.bind(id, name));
        return session.execute(insert.bind(name, id, ByteBuffer.wrap(namespace.toByteArray()))).wasApplied();
    }

    @Override
    public boolean update(DescribeNamespaceResponse namespace) {
        return session.execute(update.bind(ByteBuffer.wrap(namespace.toByteArray()),
                namespace.getNamespaceInfo().getName())).wasApplied();
    }

    @Override
    public Optional<DescribeNamespaceResponse> byName(String name) {
        return Optional.ofNullable(session.execute(selectByName.bind(name)).one()).map(CassandraNamespaceStore::parse);
    }

    @Override
    public Optional<DescribeNamespaceResponse> byId(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.execute(selectNameById.bind(uuid)).one())
                .flatMap(row -> byName(row.getString("name")))
                .filter(ns -> ns.getNamespaceInfo().getId().equals(id));
    }

    @Override
    public List<DescribeNamespaceResponse> all() {
        return session.execute(selectAll.bind()).all().stream().map(CassandraNamespaceStore::parse).toList();
    }

    private static DescribeNamespaceResponse parse(Row row) {
        try {
            return DescribeNamespaceResponse.parseFrom(row.getByteBuffer("detail"));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt namespace record", e);
        }
    }
}
