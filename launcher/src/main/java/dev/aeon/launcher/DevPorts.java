package dev.aeon.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports `aeon dev` uses. 7233 is Temporal's frontend port and part of the platform's contract with SDKs,
 * scripts and acceptance tests; the others sit next to it, and the stores use their usual ports plus 10000 so a
 * developer's own Cassandra or PostgreSQL does not collide.
 */
record DevPorts(int frontend, int controlPlane, int dataPlaneHttp, int codec, int cql, int cassandraStorage,
                int postgres) {

    static DevPorts defaults() {
        return new DevPorts(7233, 7240, 7241, 7242, 19042, 17000, 15432);
    }

    /** Every port moved by {@code offset}: a second platform next to the first (tests, experiments). */
    DevPorts shiftedBy(int offset) {
        return new DevPorts(frontend + offset, controlPlane + offset, dataPlaneHttp + offset, codec + offset,
                cql + offset, cassandraStorage + offset, postgres + offset);
    }

    /** With several data-plane nodes, node {@code index}'s own gRPC port (7253, 7255, ... by default). */
    int dataPlaneNodeGrpc(int index) {
        return frontend + 20 + 2 * index;
    }

    /** And its HTTP port (7254, 7256, ...). */
    int dataPlaneNodeHttp(int index) {
        return frontend + 21 + 2 * index;
    }

    /** Each port with what uses it, in start order. */
    Map<Integer, String> byUse() {
        return byUse(1);
    }

    /** The same, with {@code dataPlaneNodes} data-plane nodes (each with two ports of its own when more than one). */
    Map<Integer, String> byUse(int dataPlaneNodes) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(cql, "Cassandra CQL");
        ports.put(cassandraStorage, "Cassandra storage");
        ports.put(postgres, "PostgreSQL");
        ports.put(frontend, "data plane gRPC (Temporal frontend)");
        ports.put(dataPlaneHttp, "data plane HTTP");
        ports.put(controlPlane, "control plane");
        ports.put(codec, "codec server");
        for (int node = 0; dataPlaneNodes > 1 && node < dataPlaneNodes; node++) {
            ports.put(dataPlaneNodeGrpc(node), "data plane node " + (node + 1) + " gRPC");
            ports.put(dataPlaneNodeHttp(node), "data plane node " + (node + 1) + " HTTP");
        }
        return ports;
    }
}
