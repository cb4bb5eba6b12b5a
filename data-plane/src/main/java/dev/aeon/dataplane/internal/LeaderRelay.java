package dev.aeon.dataplane.internal;

import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.cluster.LeaderHttp;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The internal API's calls that run in the engine (schedules) are answered by the leader, the node that holds the
 * shards (docs/ARCHITECTURE.md, "Nodes"): on any other node they are relayed to the leader as they came, and its
 * answer, status included, is the answer. The control plane reaches the data plane through a Service, so it may land
 * on any node.
 */
@ApplicationScoped
public class LeaderRelay {

    private final Membership membership;
    private final LeaderHttp leaderHttp;
    private final Optional<String> internalToken;

    public LeaderRelay(Membership membership, LeaderHttp leaderHttp,
                       @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.membership = membership;
        this.leaderHttp = leaderHttp;
        this.internalToken = internalToken;
    }

    /**
     * The local answer on the leader; elsewhere the leader's, for the same method, path and query and body (a 2xx
     * body returned, any other status thrown as the leader's response).
     */
    String onLeader(String method, String pathAndQuery, String body, Supplier<String> local) {
        if (leaderHttp.elsewhere().isEmpty() && (membership.isLeader() || membership.leader().isPresent())) {
            return local.get();
        }
        Member leader = leaderHttp.elsewhere().orElseThrow(() -> unavailable("no data-plane node serves workflows "
                + "at the moment; retry"));
        try {
            HttpResponse<byte[]> answer = leaderHttp.relay(leader, method, pathAndQuery, Map.of(
                    InternalToken.HEADER, List.of(internalToken.orElse("")),
                    "Content-Type", List.of(MediaType.APPLICATION_JSON)),
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)).get();
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            if (answer.statusCode() / 100 == 2) {
                return text;
            }
            throw new WebApplicationException(Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON)
                    .entity(text).build());
        } catch (ExecutionException e) {
            throw unavailable("the leading data-plane node did not answer (" + e.getCause().getMessage() + "); retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted; retry");
        }
    }

    private static WebApplicationException unavailable(String message) {
        return new WebApplicationException(InternalErrors.response(Response.Status.SERVICE_UNAVAILABLE, message));
    }
}
